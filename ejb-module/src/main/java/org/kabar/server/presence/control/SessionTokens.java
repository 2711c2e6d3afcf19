package org.kabar.server.presence.control;

import java.security.SecureRandom;
import java.util.Base64;
import org.kabar.protocol.client.SessionProofs;

/**
 * Session tokens: 128 random bits as 22 characters of base64url. Only a SHA-256 of a token is
 * stored, so a copy of the database does not let anyone take over sessions.
 */
public final class SessionTokens {

  private static final SecureRandom RANDOM = new SecureRandom();

  private SessionTokens() {}

  /** A new, unguessable token. */
  public static String next() {
    byte[] bits = new byte[16];
    RANDOM.nextBytes(bits);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
  }

  /** The stored form of a token. */
  public static String hash(String token) {
    return SessionProofs.tokenHash(token);
  }
}
