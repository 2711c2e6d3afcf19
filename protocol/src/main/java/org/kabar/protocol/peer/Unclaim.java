package org.kabar.protocol.peer;

import java.util.Objects;

/**
 * {@code UNCLAIM <claim-id> <name>}: the claimant gave a claim up (it did not get most of the
 * servers, or a server asked about a claim it no longer pursues): every server that granted the
 * name for that claim forgets the grant. A claim given up never registers afterwards.
 */
public record Unclaim(String claimId, String name) implements PeerFrame {
  public Unclaim {
    Objects.requireNonNull(claimId);
    Objects.requireNonNull(name);
  }
}
