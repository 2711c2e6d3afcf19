package org.kabar.protocol.peer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Encodes a {@link PeerFrame} as a length-prefixed UTF-8 frame. */
public final class PeerFrameEncoder {

  private PeerFrameEncoder() {}

  /** The frame's body text, without the length prefix. */
  public static String text(PeerFrame frame) {
    if (frame instanceof Ping ping) {
      return "PING " + ping.nonce();
    } else if (frame instanceof Pong pong) {
      return "PONG " + pong.nonce();
    } else if (frame instanceof PeerError error) {
      return "ERROR " + error.code() + " " + error.text();
    } else if (frame instanceof Hello hello) {
      return "HELLO " + hello.node() + " " + hello.nonce();
    } else if (frame instanceof Welcome welcome) {
      return "WELCOME " + welcome.node() + " " + welcome.nonce() + " " + welcome.mac();
    } else if (frame instanceof Proof proof) {
      return "PROOF " + proof.mac();
    } else if (frame instanceof Announce a) {
      return "ANNOUNCE " + a.node() + " " + a.host() + " " + a.tcpPort() + " " + a.udpPort();
    } else if (frame instanceof Claim c) {
      return "CLAIM " + c.claimId() + " " + c.name();
    } else if (frame instanceof Claimed c) {
      return "CLAIMED " + c.claimId() + " " + (c.granted() ? "yes" : "no");
    } else if (frame instanceof UserRecord u) {
      return "USER " + u.name() + " " + u.createdAtMillis() + " " + u.passwordHash();
    } else if (frame instanceof UserRemoved u) {
      return "UNUSER " + u.name();
    }
    throw new IllegalArgumentException("unknown frame " + frame);
  }

  /** The complete frame: a 4-byte big-endian length, then the UTF-8 body. */
  public static ByteBuffer encode(PeerFrame frame) {
    byte[] body = text(frame).getBytes(StandardCharsets.UTF_8);
    if (body.length > PeerFrameDecoder.MAX_FRAME_BYTES) {
      throw new IllegalArgumentException("frame of " + body.length + " bytes exceeds the limit");
    }
    ByteBuffer buffer = ByteBuffer.allocate(4 + body.length);
    buffer.putInt(body.length).put(body).flip();
    return buffer;
  }
}
