package org.kabar.client;

import java.io.IOException;

/** No server in the list answered a request, even after retransmissions. */
public class NoAnswerException extends IOException {
  private static final long serialVersionUID = 1L;

  public NoAnswerException(String message) {
    super(message);
  }
}
