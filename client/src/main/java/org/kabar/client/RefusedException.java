package org.kabar.client;

import org.kabar.protocol.client.ErrorCode;

/** The server refused a request with an error code. */
public class RefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public RefusedException(ErrorCode code, String text) {
    super(text + " (" + code.number() + ")");
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
