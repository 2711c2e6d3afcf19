package org.kabar.protocol.client;

import java.util.Objects;

/**
 * A datagram that could not be decoded. It still reaches the server's logic so that the sender can
 * be told why (within the anti-amplification limit) and the event can be counted.
 *
 * @param seq the request's sequence number if it could be read, else 0
 * @param code why the datagram was refused
 * @param detail a short explanation safe to echo back to the sender
 * @param token the session token the request carried, if it was well formed, else null: a request
 *     of a session is answered as one, whatever its size
 */
public record InvalidRequest(long seq, ErrorCode code, String detail, String token)
    implements ClientRequest {
  public InvalidRequest {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(detail, "detail");
  }

  /** A refusal of a request that carried no session token. */
  public InvalidRequest(long seq, ErrorCode code, String detail) {
    this(seq, code, detail, null);
  }

  /** A refusal of an unframed datagram, with the code's own text. */
  public static InvalidRequest of(ErrorCode code) {
    return new InvalidRequest(0, code, code.text());
  }
}
