package org.kabar.protocol.peer;

import java.util.Objects;

/**
 * {@code USER <name> <created-ms> <password-hash> [<revision> <active|disabled>]}: an account as
 * the sending server holds it, with its password hash only (seed S3.2: sent at once to all active
 * servers when it is registered, and again when an administrator disables, enables or resets it).
 * The newest revision wins; a frame without the last two fields is a new account at revision 0.
 *
 * @param revision when the account last changed, in the hybrid clock of the servers
 */
public record UserRecord(
    String name, long createdAtMillis, String passwordHash, long revision, boolean disabled)
    implements PeerFrame {
  public UserRecord {
    Objects.requireNonNull(name);
    Objects.requireNonNull(passwordHash);
  }

  /** A newly registered account. */
  public UserRecord(String name, long createdAtMillis, String passwordHash) {
    this(name, createdAtMillis, passwordHash, 0, false);
  }
}
