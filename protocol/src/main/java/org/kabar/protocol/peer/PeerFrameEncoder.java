package org.kabar.protocol.peer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.stream.Collectors;

/** Encodes a {@link PeerFrame} as a length-prefixed UTF-8 frame. */
public final class PeerFrameEncoder {

  private PeerFrameEncoder() {}

  /** The frame's body text, without the length prefix. */
  public static String text(PeerFrame frame) {
    if (frame instanceof LoadQuery) {
      return "LOAD?";
    } else if (frame instanceof Load l) {
      return "LOAD "
          + l.quota()
          + " "
          + l.sessions()
          + " "
          + l.undelivered()
          + " "
          + l.queueDepth()
          + " "
          + l.dropped()
          + " "
          + l.newestBucketMillis()
          + " "
          + l.counts().stream().map(String::valueOf).collect(Collectors.joining(","));
    } else if (frame instanceof Beat beat) {
      return "BEAT " + beat.incarnation() + " " + beat.sequence();
    } else if (frame instanceof Ping ping) {
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
      return "ANNOUNCE "
          + a.node()
          + " "
          + a.host()
          + " "
          + a.tcpPort()
          + " "
          + a.udpPort()
          + " "
          + a.nodeNumber();
    } else if (frame instanceof Claim c) {
      return "CLAIM " + c.claimId() + " " + c.name();
    } else if (frame instanceof Claimed c) {
      return "CLAIMED " + c.claimId() + " " + (c.granted() ? "yes" : "no");
    } else if (frame instanceof Via v) {
      return "VIA " + String.join(",", v.reached()) + " " + text(v.frame());
    } else if (frame instanceof StoredCopies s) {
      return "STORED " + s.ids().stream().map(String::valueOf).collect(Collectors.joining(","));
    } else if (frame instanceof Unclaim c) {
      return "UNCLAIM " + c.claimId() + " " + c.name();
    } else if (frame instanceof AskClaim c) {
      return "ASKCLAIM " + c.claimId() + " " + c.name();
    } else if (frame instanceof UserRecord u) {
      return "USER "
          + u.name()
          + " "
          + u.createdAtMillis()
          + " "
          + u.passwordHash()
          + " "
          + u.revision()
          + (u.disabled() ? " disabled" : " active");
    } else if (frame instanceof UserRemoved u) {
      return "UNUSER " + u.name();
    } else if (frame instanceof MessageRecord m) {
      return String.join(
          " ",
          "MSG",
          Long.toString(m.id()),
          Long.toString(m.revision()),
          Integer.toString(m.flags()),
          Long.toString(m.receivedAtMillis()),
          m.from(),
          m.to(),
          m.channel() == null ? "-" : m.channel(),
          Long.toString(m.senderSession()),
          Long.toString(m.clientSeq()),
          m.text());
    } else if (frame instanceof SessionRecord s) {
      return String.join(
          " ",
          "SESSION",
          Long.toString(s.id()),
          Long.toString(s.revision()),
          s.user(),
          s.server(),
          s.connected() ? "1" : "0",
          Long.toString(s.loginAtMillis()),
          s.clientHost(),
          Integer.toString(s.clientPort()),
          s.tokenHash() == null ? "-" : s.tokenHash());
    } else if (frame instanceof SyncRequest s) {
      return "SYNC " + s.sinceMillis();
    } else if (frame instanceof ChannelRecord c) {
      return "CHANNEL " + c.name() + " " + c.creator() + " " + c.createdAtMillis();
    } else if (frame instanceof MemberRecord m) {
      return "MEMBER "
          + m.channel()
          + " "
          + m.user()
          + " "
          + m.state().name().toLowerCase(Locale.ROOT)
          + " "
          + m.revision();
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
