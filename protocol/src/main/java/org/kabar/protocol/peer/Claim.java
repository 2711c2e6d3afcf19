package org.kabar.protocol.peer;

import java.util.Objects;

/**
 * {@code CLAIM <claim-id> <name>}: a server asks a peer to reserve a username it is about to
 * register (seed S3.2: no username twice). Answered by {@link Claimed}.
 */
public record Claim(String claimId, String name) implements PeerFrame {
  public Claim {
    Objects.requireNonNull(claimId);
    Objects.requireNonNull(name);
  }
}
