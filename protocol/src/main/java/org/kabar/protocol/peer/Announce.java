package org.kabar.protocol.peer;

import java.util.Objects;

/**
 * {@code ANNOUNCE <node> <host> <tcp-port> <udp-port> <node-number>}: a server tells a peer where
 * it listens, so that the peer lists it (seed S3.1), and which node number its message and session
 * ids carry. Receivers update their own list and do not forward it.
 */
public record Announce(String node, String host, int tcpPort, int udpPort, int nodeNumber)
    implements PeerFrame {

  /** Node numbers run from 0 to this, inclusive. */
  public static final int MAX_NODE_NUMBER = 1023;

  public Announce {
    Objects.requireNonNull(node);
    Objects.requireNonNull(host);
    if (tcpPort < 1 || tcpPort > 65535 || udpPort < 1 || udpPort > 65535) {
      throw new IllegalArgumentException("port out of range");
    }
    if (nodeNumber < 0 || nodeNumber > MAX_NODE_NUMBER) {
      throw new IllegalArgumentException("node number out of range");
    }
  }
}
