package org.kabar.protocol.peer;

import java.util.Objects;

/**
 * {@code ERROR <code> <text>}: the peer refused a frame; the link is closed after it.
 *
 * @param code a stable, machine-readable reason such as {@code too-large}
 * @param text a human-readable explanation
 */
public record PeerError(String code, String text) implements PeerFrame {
  public PeerError {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(text, "text");
  }
}
