/**
 * The sockets the adapter owns: the client UDP socket, the peer TCP listener and the TCP links to
 * peers, each read by a long-running loop that feeds an inbound queue.
 */
package org.kabar.adapter.transport;
