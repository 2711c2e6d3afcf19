package org.kabar.adapter.api;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Objects;
import org.kabar.protocol.peer.PeerFrame;

/**
 * A frame received from a peer server on a TCP link, already decoded.
 *
 * @param link the link it arrived on, to reply over
 * @param peerNode the name the peer gave when it proved it holds the deployment key
 * @param remote the peer's address as seen by the socket
 * @param frame the decoded frame
 * @param receivedAt when the adapter finished reading it
 */
public record PeerMessage(
    PeerLinkId link,
    String peerNode,
    InetSocketAddress remote,
    PeerFrame frame,
    Instant receivedAt) {
  public PeerMessage {
    Objects.requireNonNull(link, "link");
    Objects.requireNonNull(peerNode, "peerNode");
    Objects.requireNonNull(remote, "remote");
    Objects.requireNonNull(frame, "frame");
    Objects.requireNonNull(receivedAt, "receivedAt");
  }
}
