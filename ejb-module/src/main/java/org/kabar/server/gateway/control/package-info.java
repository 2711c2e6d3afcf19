/** Sending replies to clients through the resource adapter's UDP socket. */
package org.kabar.server.gateway.control;
