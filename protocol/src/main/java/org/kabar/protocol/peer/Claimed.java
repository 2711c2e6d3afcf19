package org.kabar.protocol.peer;

import java.util.Objects;

/** {@code CLAIMED <claim-id> yes|no}: whether the peer reserved the name for that claim. */
public record Claimed(String claimId, boolean granted) implements PeerFrame {
  public Claimed {
    Objects.requireNonNull(claimId);
  }
}
