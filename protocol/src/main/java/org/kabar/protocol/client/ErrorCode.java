package org.kabar.protocol.client;

/** Stable error codes of the client protocol; a number never changes meaning. */
public enum ErrorCode {
  /** The datagram is not valid UTF-8 text, or holds control characters. */
  BAD_ENCODING(400, "not UTF-8 text"),
  /** The datagram is empty or only whitespace. */
  EMPTY(401, "empty datagram"),
  /** The command needs a session: log in first. */
  NOT_LOGGED_IN(403, "log in first"),
  /** The command is not part of the protocol. */
  UNKNOWN_COMMAND(404, "unknown command"),
  /** The username is already registered. */
  NAME_TAKEN(409, "username taken"),
  /** The datagram is larger than the protocol allows. */
  TOO_LARGE(413, "datagram too large"),
  /** The reply would be larger than the unauthenticated request: pad the request. */
  PAD_REQUEST(414, "pad"),
  /** The session token is unknown or the session has ended. */
  BAD_SESSION(419, "no session"),
  /** The command is known but its arguments are wrong. */
  BAD_ARGUMENTS(422, "bad arguments"),
  /** A login with the password in the request: that form is gone, log in with AUTH and PROVE. */
  UPGRADE(426, "log in with AUTH and PROVE: passwords are no longer sent"),
  /** Too many requests from this address or session: slow down. */
  RATE_LIMITED(429, "too many requests"),
  /** Wrong username or password. */
  WRONG_CREDENTIALS(430, "wrong username or password"),
  /** The password is right, but an administrator disabled the account. */
  ACCOUNT_DISABLED(431, "account disabled by an administrator"),
  /** The registration was taken; it waits for an administrator's approval. */
  PENDING_APPROVAL(432, "registration waits for an administrator's approval"),
  /** An administrator rejected the registration. */
  REGISTRATION_REJECTED(433, "registration rejected by an administrator"),
  /** The nonce of a PROVE or REGISTER is unknown here or too old: start again with AUTH. */
  LOGIN_EXPIRED(434, "no such login: start again with AUTH"),
  /** The named user is not registered. */
  NO_SUCH_USER(444, "no such user"),
  /** The channel does not exist, or this user may not see it. */
  NO_SUCH_CHANNEL(446, "no such channel"),
  /** Only the channel's creator, or only its members, may do this. */
  NOT_ALLOWED(447, "not allowed"),
  /** Accounts are made by the directory's administrators here, not by the client. */
  REGISTRATION_CLOSED(448, "registration is closed here: ask an administrator"),
  /** The message does not exist in this user's inbox. */
  NO_SUCH_MESSAGE(445, "no such message"),
  /** The server failed; the request may be retried. */
  SERVER_ERROR(500, "server error, try again"),
  /** The server has reached its quota of logged-in users (seed S3.5). */
  FULL(503, "full"),
  /**
   * The server is overloaded and did not act on the request: send it again after the time the reply
   * names ({@code busy, retry in <n> ms}, see {@link RetryHint}).
   */
  BUSY(507, "busy"),
  /**
   * A registration needs grants from most of the deployment's servers, and fewer answer from here
   * (a partition, or servers down): logging in and chatting go on; register when they are back.
   */
  NO_MAJORITY(508, "registration needs most of the servers: try again when they are back"),
  /** The enterprise directory did not answer in time; try again later. */
  DIRECTORY_UNAVAILABLE(504, "directory unavailable, try again later"),
  /** The datagram uses a protocol version this server does not speak. */
  UNSUPPORTED_VERSION(505, "unsupported protocol version");

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

  /** The code with this number, or null. */
  public static ErrorCode of(int number) {
    for (ErrorCode code : values()) {
      if (code.number == number) {
        return code;
      }
    }
    return null;
  }
}
