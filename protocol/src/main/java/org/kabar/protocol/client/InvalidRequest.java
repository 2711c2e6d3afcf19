package org.kabar.protocol.client;

import java.util.Objects;

/**
 * A datagram that could not be decoded. It still reaches the server's logic so that the sender can
 * be told why (within the anti-amplification limit) and the event can be counted.
 *
 * @param code why the datagram was refused
 * @param detail a short explanation safe to echo back to the sender
 */
public record InvalidRequest(ErrorCode code, String detail) implements ClientRequest {
  public InvalidRequest {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(detail, "detail");
  }
}
