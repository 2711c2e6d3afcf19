package org.kabar.protocol.client;

import java.util.Objects;

/**
 * A framed request: {@code K1 <seq> [~<token>] <VERB> [arguments]}.
 *
 * @param seq the client's sequence number, echoed in the reply; a repeated number is a
 *     retransmission
 * @param token the session token, or null for commands that need none (REGISTER, LOGIN)
 * @param command what the client asks for
 */
public record Request(long seq, String token, Command command) implements ClientRequest {
  public Request {
    if (seq < 1) {
      throw new IllegalArgumentException("seq must be positive");
    }
    Objects.requireNonNull(command, "command");
  }
}
