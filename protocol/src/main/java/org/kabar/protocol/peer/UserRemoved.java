package org.kabar.protocol.peer;

import java.util.Objects;

/** {@code UNUSER <name>}: the account was removed at the sending server. */
public record UserRemoved(String name) implements PeerFrame {
  public UserRemoved {
    Objects.requireNonNull(name);
  }
}
