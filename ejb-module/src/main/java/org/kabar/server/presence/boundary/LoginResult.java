package org.kabar.server.presence.boundary;

import java.net.InetSocketAddress;
import java.util.List;
import org.kabar.protocol.client.ErrorCode;

/**
 * What a login attempt came to.
 *
 * @param caller the new session, or null if refused
 * @param token the new session's token, or null
 * @param refusal why it was refused, or null
 * @param replaced the address of the user's previous session, now ended, or null
 * @param alternatives other servers to try when this one is full
 * @param changed the Connected rows the login changed (the new one, those it ended), to tell the
 *     other servers
 */
public record LoginResult(
    Caller caller,
    String token,
    ErrorCode refusal,
    InetSocketAddress replaced,
    List<String> alternatives,
    List<Long> changed) {

  static LoginResult refused(ErrorCode why) {
    return new LoginResult(null, null, why, null, List.of(), List.of());
  }

  static LoginResult full(List<String> alternatives) {
    return new LoginResult(null, null, ErrorCode.FULL, null, alternatives, List.of());
  }
}
