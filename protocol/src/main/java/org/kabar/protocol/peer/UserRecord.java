package org.kabar.protocol.peer;

import java.util.Objects;

/**
 * {@code USER <name> <created-ms> <password-hash>}: an account registered at the sending server,
 * with its password hash only (seed S3.2: sent at once to all active servers).
 */
public record UserRecord(String name, long createdAtMillis, String passwordHash)
    implements PeerFrame {
  public UserRecord {
    Objects.requireNonNull(name);
    Objects.requireNonNull(passwordHash);
  }
}
