package org.kabar.protocol.peer;

import java.util.Objects;

/**
 * {@code HELLO <node> <nonce>}: the first frame of the side that opened a link: who it is and a
 * fresh random challenge for the other side.
 */
public record Hello(String node, String nonce) implements PeerFrame {
  public Hello {
    Objects.requireNonNull(node);
    Objects.requireNonNull(nonce);
  }
}
