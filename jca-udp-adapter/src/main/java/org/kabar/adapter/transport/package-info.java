/**
 * The sockets the adapter owns: the client UDP socket, the peer TCP listener and the TCP links to
 * peers, each read by a long-running loop that feeds an inbound queue. Peer links are authenticated
 * by a handshake and sealed after it; sockets still in their handshake have few slots of their own
 * and a deadline, and what strangers cause is logged a few lines a second.
 */
package org.kabar.adapter.transport;
