/** Entry points for client traffic: the message-driven bean and the request router. */
package org.kabar.server.gateway.boundary;
