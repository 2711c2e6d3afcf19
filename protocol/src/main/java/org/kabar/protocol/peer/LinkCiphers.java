package org.kabar.protocol.peer;

import java.util.Objects;

/**
 * The two ciphers of one side of an authenticated link: one for what it sends, one for what it
 * receives, each under its own key.
 */
public record LinkCiphers(LinkCipher sending, LinkCipher receiving) {
  public LinkCiphers {
    Objects.requireNonNull(sending, "sending");
    Objects.requireNonNull(receiving, "receiving");
  }
}
