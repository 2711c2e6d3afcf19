package org.kabar.protocol.peer;

import java.util.Objects;

/**
 * {@code SESSION <id> <revision> <user> <server> <connected 1|0> <login-ms> <client-host>
 * <client-port> <token-hash|->}: one row of the Connected table (seed S3.3), sent at login, logout,
 * takeover and periodically. Copies merge newest first: the higher revision wins, whatever order
 * they arrive in (seed S3.6). The token travels as its SHA-256 only, which lets the server a client
 * fails over to resume the session without a new login.
 */
public record SessionRecord(
    long id,
    long revision,
    String user,
    String server,
    boolean connected,
    long loginAtMillis,
    String clientHost,
    int clientPort,
    String tokenHash)
    implements PeerFrame {

  public SessionRecord {
    Objects.requireNonNull(user);
    Objects.requireNonNull(server);
    Objects.requireNonNull(clientHost);
    if (clientPort < 1 || clientPort > 65535) {
      throw new IllegalArgumentException("port out of range");
    }
  }
}
