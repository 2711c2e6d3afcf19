package org.kabar.protocol.peer;

import java.util.Objects;

/** {@code PROOF <mac>}: the opening side's proof that it holds the deployment key. */
public record Proof(String mac) implements PeerFrame {
  public Proof {
    Objects.requireNonNull(mac);
  }
}
