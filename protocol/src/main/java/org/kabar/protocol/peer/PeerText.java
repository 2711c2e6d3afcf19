package org.kabar.protocol.peer;

/**
 * Makes text that came from a peer safe to quote in an error message or a log line: control
 * characters are escaped, so a peer cannot start a line of its own, and the text is cut short, so a
 * peer cannot make a message as long as its frame.
 */
public final class PeerText {

  /** Characters of a peer's word quoted at most, before "...". */
  public static final int QUOTE_CHARS = 40;

  /** Characters of a whole message at most (an exception's text, a refusal sent back). */
  public static final int MESSAGE_CHARS = 200;

  private PeerText() {}

  /** A word the peer sent, escaped and cut to {@link #QUOTE_CHARS}, in quotes. */
  public static String quote(String raw) {
    return "'" + printable(raw, QUOTE_CHARS) + "'";
  }

  /**
   * The text with every control character, line or paragraph separator and invisible format
   * character (such as a right-to-left override) written as {@code \n}, {@code \r}, {@code \t} or
   * {@code \}{@code uXXXX}, a backslash as {@code \\}, cut to {@code max} characters of output with
   * "..." at the end if it was longer.
   */
  public static String printable(String raw, int max) {
    return printable(raw, max, true);
  }

  /**
   * A whole message, made of fixed text and words already {@link #quote quoted}: control characters
   * are escaped as by {@link #printable}, backslashes kept (they are the quotes' own), and the
   * message is cut to {@link #MESSAGE_CHARS}.
   */
  public static String message(String message) {
    return printable(message, MESSAGE_CHARS, false);
  }

  private static String printable(String raw, int max, boolean backslashes) {
    if (raw == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(Math.min(raw.length(), max) + 8);
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      String escaped = c == '\\' && !backslashes ? "\\" : escape(c);
      if (out.length() + escaped.length() > max) {
        if (out.length() > 0 && Character.isHighSurrogate(out.charAt(out.length() - 1))) {
          out.setLength(out.length() - 1); // never half a character
        }
        return out.append("...").toString();
      }
      out.append(escaped);
    }
    return out.toString();
  }

  private static String escape(char c) {
    switch (c) {
      case '\n':
        return "\\n";
      case '\r':
        return "\\r";
      case '\t':
        return "\\t";
      case '\\':
        return "\\\\";
      default:
        if (Character.isISOControl(c)
            || c == '\u2028'
            || c == '\u2029'
            || Character.getType(c) == Character.FORMAT) {
          return String.format("\\u%04x", (int) c);
        }
        return String.valueOf(c);
    }
  }
}
