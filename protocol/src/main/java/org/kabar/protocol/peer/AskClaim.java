package org.kabar.protocol.peer;

import java.util.Objects;

/**
 * {@code ASKCLAIM <claim-id> <name>}: a server that granted a name for a claim and has heard
 * nothing of it for a while asks the claimant how it ended. The claimant answers with the account
 * ({@link UserRecord}) if it registered the name, else with {@link Unclaim} after making sure it
 * never will; a claim still under way is not answered yet.
 */
public record AskClaim(String claimId, String name) implements PeerFrame {
  public AskClaim {
    Objects.requireNonNull(claimId);
    Objects.requireNonNull(name);
  }
}
