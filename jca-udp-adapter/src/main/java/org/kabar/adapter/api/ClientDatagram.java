package org.kabar.adapter.api;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Objects;
import org.kabar.protocol.client.ClientRequest;

/**
 * A datagram received from a client on the UDP socket, already decoded.
 *
 * @param sender the address and port the datagram came from (not proof of identity)
 * @param request the decoded command, or an {@code InvalidRequest} saying why it was refused
 * @param sizeBytes the datagram's size on the wire, bounding what may be sent back unauthenticated
 * @param receivedAt when the adapter read it from the socket
 */
public record ClientDatagram(
    InetSocketAddress sender, ClientRequest request, int sizeBytes, Instant receivedAt) {
  public ClientDatagram {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(receivedAt, "receivedAt");
  }
}
