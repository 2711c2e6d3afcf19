package org.kabar.protocol.peer;

/**
 * A peer sent bytes that are not a valid frame; the reason's code is sent back before closing. The
 * message is made printable and short ({@link PeerText}), as it goes into logs and back to the
 * peer.
 */
public final class PeerProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String code;

  public PeerProtocolException(String code, String message) {
    super(PeerText.message(message));
    this.code = code;
  }

  /** The stable reason code, as sent in a {@link PeerError}. */
  public String code() {
    return code;
  }

  /** The frame that tells the peer why it was refused. */
  public PeerError toFrame() {
    return new PeerError(code, getMessage());
  }
}
