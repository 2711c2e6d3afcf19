/**
 * The client edge of the server logic: the message-driven bean that receives decoded client
 * datagrams, the boundary that routes each request to its component, and the control that sends
 * replies under the anti-amplification rule.
 */
package org.kabar.server.gateway;
