package org.kabar.protocol.client;

/** Stable error codes of the client protocol; the number never changes meaning. */
public enum ErrorCode {
  /** The datagram is not valid UTF-8 text. */
  BAD_ENCODING(400, "not UTF-8 text"),
  /** The datagram is empty or only whitespace. */
  EMPTY(401, "empty datagram"),
  /** The datagram is larger than the protocol allows. */
  TOO_LARGE(413, "datagram too large"),
  /** The command is not part of the protocol. */
  UNKNOWN_COMMAND(404, "unknown command"),
  /** The command is known but its arguments are wrong. */
  BAD_ARGUMENTS(422, "bad arguments");

  private final int number;
  private final String text;

  ErrorCode(int number, String text) {
    this.number = number;
    this.text = text;
  }

  /** The stable numeric code carried on the wire. */
  public int number() {
    return number;
  }

  /** A short human-readable explanation. */
  public String text() {
    return text;
  }
}
