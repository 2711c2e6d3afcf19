package org.kabar.protocol.peer;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Reads the frames of an authenticated link ({@link SealedFrameEncoder}'s format), checks each with
 * the link's receiving cipher and decodes its body; a frame that does not open is refused, and the
 * link with it.
 */
public final class SealedFrameDecoder {

  /** Largest sealed frame: the largest body and its tag. */
  public static final int MAX_SEALED_BYTES =
      PeerFrameDecoder.MAX_FRAME_BYTES + LinkCipher.TAG_BYTES;

  private final DataInputStream in;
  private final LinkCipher cipher;

  /**
   * Reads from {@code in}: the same stream the handshake was read from, with nothing read ahead.
   */
  public SealedFrameDecoder(InputStream in, LinkCipher receiving) {
    this.in = new DataInputStream(in);
    this.cipher = receiving;
  }

  /**
   * Reads the next frame, blocking until it is complete.
   *
   * @throws EOFException if the stream ends, between frames or inside one
   * @throws PeerProtocolException {@code bad-length} for an impossible length, {@code bad-seal} for
   *     a frame that does not open, or the body's own refusal
   */
  public PeerFrame next() throws IOException, PeerProtocolException {
    int length = in.readInt();
    if (length <= LinkCipher.TAG_BYTES || length > MAX_SEALED_BYTES) {
      throw new PeerProtocolException(
          "bad-length",
          "sealed frame length "
              + length
              + " outside "
              + (LinkCipher.TAG_BYTES + 1)
              + ".."
              + MAX_SEALED_BYTES);
    }
    byte[] sealed = new byte[length];
    in.readFully(sealed);
    byte[] body = cipher.open(ByteBuffer.allocate(4).putInt(length).array(), sealed);
    return PeerFrameDecoder.decodeBody(body);
  }
}
