package org.kabar.protocol.peer;

import java.util.Objects;

/**
 * {@code WELCOME <node> <nonce> <mac>}: the accepting side's answer to {@link Hello}: who it is,
 * its own challenge, and its proof that it holds the deployment key.
 */
public record Welcome(String node, String nonce, String mac) implements PeerFrame {
  public Welcome {
    Objects.requireNonNull(node);
    Objects.requireNonNull(nonce);
    Objects.requireNonNull(mac);
  }
}
