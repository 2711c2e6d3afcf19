package org.kabar.server.presence.control;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

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
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
  }
}
