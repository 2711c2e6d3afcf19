/**
 * The Kabar client: {@link org.kabar.client.MessengerClient} speaks the protocol (retransmission
 * with back-off, acknowledgements, duplicate suppression, keep-alive, failover through a list of
 * servers); {@link org.kabar.client.Messenger} is the command line around it.
 */
package org.kabar.client;
