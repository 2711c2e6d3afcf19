package org.kabar.protocol.peer;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads the plain frames of the handshake, before a link is authenticated: short ones only (at most
 * {@link #MAX_FRAME_BYTES}), and only the frame types the step expects; anything else is refused
 * without being decoded, so a stranger's bytes never reach the full frame decoder.
 */
public final class HandshakeDecoder {

  /** Largest handshake frame: a WELCOME with three words of 128 characters fits. */
  public static final int MAX_FRAME_BYTES = 512;

  private final DataInputStream in;

  /**
   * Reads from {@code in}; nothing is read ahead, so the link's frames follow on the same stream.
   */
  public HandshakeDecoder(InputStream in) {
    this.in = new DataInputStream(in);
  }

  /**
   * Reads the next frame, if it is of one of the expected types.
   *
   * @param expected the frame types this step of the handshake takes, e.g. {@code HELLO}
   * @throws PeerProtocolException {@code bad-length} for a length outside 1..{@value
   *     #MAX_FRAME_BYTES}, {@code not-authenticated} for any other frame type, or the frame's own
   *     refusal
   */
  public PeerFrame next(List<String> expected) throws IOException, PeerProtocolException {
    int length = in.readInt();
    if (length <= 0 || length > MAX_FRAME_BYTES) {
      throw new PeerProtocolException(
          "bad-length", "handshake frame length " + length + " outside 1.." + MAX_FRAME_BYTES);
    }
    byte[] body = new byte[length];
    in.readFully(body);
    if (!expected.contains(type(body))) {
      throw new PeerProtocolException(
          "not-authenticated",
          "prove the key first: only " + String.join(" or ", expected) + " is taken now");
    }
    return PeerFrameDecoder.decodeBody(body);
  }

  /** The frame's first word, if it is short plain ASCII; anything else matches no type. */
  private static String type(byte[] body) {
    int end = 0;
    while (end < body.length && end <= 8 && body[end] != ' ') {
      if (body[end] < 'A' || body[end] > 'Z') {
        return "";
      }
      end++;
    }
    return new String(body, 0, end, StandardCharsets.US_ASCII);
  }
}
