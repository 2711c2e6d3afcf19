package org.kabar.protocol.client;

import java.util.Locale;
import java.util.regex.Pattern;

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

  private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,31}");
  private static final Pattern CHANNEL = Pattern.compile("#[a-z0-9][a-z0-9_.-]{0,31}");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{22}");

  /** Shortest and longest client nonce of an AUTH, in characters of base64url. */
  public static final int MIN_NONCE = 16;

  public static final int MAX_NONCE = 64;

  private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{16,64}");
  private static final Pattern COMBINED_NONCE = Pattern.compile("[A-Za-z0-9_-]{32,128}");
  private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{16}");
  private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]+={0,2}");

  private Names() {}

  /** The username in its canonical (lower-case) form, or null if it is not a valid name. */
  public static String username(String raw) {
    String lower = raw.toLowerCase(Locale.ROOT);
    return USERNAME.matcher(lower).matches() ? lower : null;
  }

  /**
   * The channel name in its canonical (lower-case) form, or null: {@code #} and 1–32 of the
   * username characters.
   */
  public static String channel(String raw) {
    String lower = raw.toLowerCase(Locale.ROOT);
    return CHANNEL.matcher(lower).matches() ? lower : null;
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
    return NONCE.matcher(raw).matches();
  }

  /** Whether the text is a combined nonce (the client's and the server's): 32–128 of base64url. */
  public static boolean nonce(String raw) {
    return COMBINED_NONCE.matcher(raw).matches();
  }

  /** Whether the text is an address check's challenge: 16 characters of base64url. */
  public static boolean challenge(String raw) {
    return CHALLENGE.matcher(raw).matches();
  }

  /** Whether the text is base64 (standard alphabet, padded) of at most {@code maxChars}. */
  public static boolean base64(String raw, int maxChars) {
    return raw.length() <= maxChars && raw.length() % 4 == 0 && BASE64.matcher(raw).matches();
  }

  /** Whether the text looks like a session token (22 characters of base64url). */
  public static boolean token(String raw) {
    return TOKEN.matcher(raw).matches();
  }
}
