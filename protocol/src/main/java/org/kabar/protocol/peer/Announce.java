package org.kabar.protocol.peer;

import java.util.Objects;

/**
 * {@code ANNOUNCE <node> <host> <tcp-port> <udp-port>}: a server tells a peer where it listens, so
 * that the peer lists it (seed S3.1). Receivers update their own list and do not forward it.
 */
public record Announce(String node, String host, int tcpPort, int udpPort) implements PeerFrame {
  public Announce {
    Objects.requireNonNull(node);
    Objects.requireNonNull(host);
    if (tcpPort < 1 || tcpPort > 65535 || udpPort < 1 || udpPort > 65535) {
      throw new IllegalArgumentException("port out of range");
    }
  }
}
