/**
 * Client-to-server protocol: one UTF-8 text command per UDP datagram, decoded by {@link
 * org.kabar.protocol.client.ClientCodec} into {@link org.kabar.protocol.client.ClientRequest}
 * records, and replies encoded from {@link org.kabar.protocol.client.ClientReply} records.
 */
package org.kabar.protocol.client;
