package org.kabar.protocol.client;

import java.util.Locale;

/**
 * The rules for names and texts: usernames are 1–32 of {@code a-z 0-9 _ . -}, starting with a
 * letter or digit, compared in lower case; {@code all} is reserved for messages to everyone, and
 * {@code notice} for the administrators' notices.
 */
public final class Names {

  /** The destination meaning every user online (S2.2). */
  public static final String EVERYONE = "all";

  /** The sender of the administrators' notices to every user online; nobody may register it. */
  public static final String NOTICE = "notice";

  /** Longest username. */
  public static final int MAX_USERNAME = 32;

  /** Shortest and longest password, in characters. */
  public static final int MIN_PASSWORD = 8;

  public static final int MAX_PASSWORD = 128;

  /** Longest message text, in UTF-8 bytes: a push of it still fits one datagram. */
  public static final int MAX_TEXT_BYTES = 900;

  /** Length of a session token, in characters of base64url. */
  public static final int TOKEN_CHARS = 22;

  /** Length of an address check's challenge, in characters of base64url. */
  public static final int CHALLENGE_CHARS = 16;

  /** Shortest and longest client nonce of an AUTH, in characters of base64url. */
  public static final int MIN_NONCE = 16;

  public static final int MAX_NONCE = 64;

  private Names() {}

  /** The username in its canonical (lower-case) form, or null if it is not a valid name. */
  public static String username(String raw) {
    String lower = raw.toLowerCase(Locale.ROOT);
    return isName(lower, 0) ? lower : null;
  }

  /**
   * The channel name in its canonical (lower-case) form, or null: {@code #} and 1–32 of the
   * username characters.
   */
  public static String channel(String raw) {
    String lower = raw.toLowerCase(Locale.ROOT);
    return lower.length() > 1 && lower.charAt(0) == '#' && isName(lower, 1) ? lower : null;
  }

  /** Whether the name may be registered: valid and not reserved. */
  public static boolean registrable(String username) {
    return username != null && !username.equals(EVERYONE) && !username.equals(NOTICE);
  }

  /** Whether a password is acceptable: 8–128 characters, no spaces or tabs. */
  public static boolean password(String raw) {
    int length = raw.codePointCount(0, raw.length());
    return length >= MIN_PASSWORD
        && length <= MAX_PASSWORD
        && raw.codePoints().noneMatch(c -> c == ' ' || c == '\t' || c < 0x20 || c == 0x7f);
  }

  /** What a user is told of a password that is not acceptable. */
  public static final String PASSWORD_RULE =
      "password: " + MIN_PASSWORD + "-" + MAX_PASSWORD + " characters, no spaces";

  /** Whether the text is a client's nonce: 16–64 characters of base64url. */
  public static boolean clientNonce(String raw) {
    return base64url(raw, MIN_NONCE, MAX_NONCE);
  }

  /** Whether the text is a combined nonce (the client's and the server's): 32–128 of base64url. */
  public static boolean nonce(String raw) {
    return base64url(raw, 2 * MIN_NONCE, 2 * MAX_NONCE);
  }

  /** Whether the text is an address check's challenge: 16 characters of base64url. */
  public static boolean challenge(String raw) {
    return base64url(raw, CHALLENGE_CHARS, CHALLENGE_CHARS);
  }

  /** Whether the text is base64 (standard alphabet, padded) of at most {@code maxChars}. */
  public static boolean base64(String raw, int maxChars) {
    int length = raw.length();
    if (length > maxChars || length % 4 != 0) {
      return false;
    }
    int data = length;
    while (data > 0 && length - data < 2 && raw.charAt(data - 1) == '=') {
      data--; // at most two padding characters, at the end
    }
    if (data == 0) {
      return false;
    }
    for (int i = 0; i < data; i++) {
      char c = raw.charAt(i);
      if (!(letterOrDigit(c) || c == '+' || c == '/')) {
        return false;
      }
    }
    return true;
  }

  /** Whether the text looks like a session token (22 characters of base64url). */
  public static boolean token(String raw) {
    return base64url(raw, TOKEN_CHARS, TOKEN_CHARS);
  }

  // The checks below are written out rather than regular expressions: they run for every request
  // (its token, its names), and matching a pattern allocated a matcher and took 2-3% of a busy
  // node's CPU.

  /** From {@code from} on: a lower-case letter or digit, then up to 31 of those or {@code _.-}. */
  private static boolean isName(String text, int from) {
    int length = text.length() - from;
    if (length < 1 || length > MAX_USERNAME || !lowerOrDigit(text.charAt(from))) {
      return false;
    }
    for (int i = from + 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(lowerOrDigit(c) || c == '_' || c == '.' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /** {@code min} to {@code max} characters of base64url ({@code A-Z a-z 0-9 _ -}). */
  private static boolean base64url(String text, int min, int max) {
    int length = text.length();
    if (length < min || length > max) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (!(letterOrDigit(c) || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  private static boolean lowerOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }

  private static boolean letterOrDigit(char c) {
    return lowerOrDigit(c) || (c >= 'A' && c <= 'Z');
  }
}
