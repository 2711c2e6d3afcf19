package org.kabar.protocol.client;

import java.util.Objects;

/**
 * {@code ERR <code> <text>}: a request was refused.
 *
 * @param code the stable error code
 * @param text a human-readable explanation
 */
public record ErrorReply(ErrorCode code, String text) implements ClientReply {
  public ErrorReply {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(text, "text");
  }

  /** An error reply carrying the code's own text. */
  public static ErrorReply of(ErrorCode code) {
    return new ErrorReply(code, code.text());
  }
}
