package org.kabar.protocol.peer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes frames for an authenticated link: a 4-byte big-endian length N, then N bytes of the body
 * sealed by the link's sending cipher (AES-256-GCM, the length prefix as associated data, so that a
 * frame cut short or lengthened does not open either). Not thread-safe: frames must reach the wire
 * in the order they were encoded.
 */
public final class SealedFrameEncoder {

  private final LinkCipher cipher;

  public SealedFrameEncoder(LinkCipher sending) {
    this.cipher = sending;
  }

  /** The complete sealed frame, ready to write. */
  public ByteBuffer encode(PeerFrame frame) {
    byte[] body = PeerFrameEncoder.text(frame).getBytes(StandardCharsets.UTF_8);
    if (body.length > PeerFrameDecoder.MAX_FRAME_BYTES) {
      throw new IllegalArgumentException("frame of " + body.length + " bytes exceeds the limit");
    }
    byte[] prefix = ByteBuffer.allocate(4).putInt(body.length + LinkCipher.TAG_BYTES).array();
    byte[] sealed = cipher.seal(prefix, body);
    ByteBuffer buffer = ByteBuffer.allocate(4 + sealed.length);
    buffer.put(prefix).put(sealed).flip();
    return buffer;
  }
}
