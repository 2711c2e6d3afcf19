package org.kabar.protocol.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Frames of an authenticated link: sealed by one side, opened by the other, and nothing else. */
class SealedFrameCodecTest {

  private static final PeerKey KEY = new PeerKey("a-deployment-key-of-32-characters");
  private static final HandshakeTranscript LINK =
      new HandshakeTranscript(PeerKey.nonce(), PeerKey.nonce(), "node-a", "node-b");

  private final LinkCiphers opener = KEY.openerCiphers(LINK);
  private final LinkCiphers acceptor = KEY.acceptorCiphers(LINK);

  private static final List<PeerFrame> FRAMES =
      List.of(
          new Ping(1),
          new UserRecord("ayu", 1_795_000_000_000L, "PBKDF2WithHmacSHA256:1024:c2E+/w==:aGFzaA=="),
          new MessageRecord(42, 1, 0, 1, "ayu", "budi", null, 7, 3, "halo, apa kabar? 🙂"),
          new PeerError("bad-arguments", "usage: SYNC <since-ms>"),
          new Pong(Long.MIN_VALUE));

  @Test
  void framesRoundTripInBothDirections() throws Exception {
    SealedFrameEncoder toB = new SealedFrameEncoder(opener.sending());
    SealedFrameDecoder atB =
        new SealedFrameDecoder(stream(seal(toB, FRAMES)), acceptor.receiving());
    for (PeerFrame frame : FRAMES) {
      assertEquals(frame, atB.next());
    }
    assertThrows(EOFException.class, atB::next);
    SealedFrameEncoder toA = new SealedFrameEncoder(acceptor.sending());
    SealedFrameDecoder atA = new SealedFrameDecoder(stream(seal(toA, FRAMES)), opener.receiving());
    for (PeerFrame frame : FRAMES) {
      assertEquals(frame, atA.next());
    }
  }

  @Test
  void theWireCarriesNoFrameText() {
    byte[] wire = seal(new SealedFrameEncoder(opener.sending()), FRAMES);
    String seen = new String(wire, StandardCharsets.ISO_8859_1);
    for (String text : List.of("PING", "USER", "ayu", "PBKDF2", "MSG", "halo", "ERROR", "usage")) {
      assertFalse(seen.contains(text), text);
    }
  }

  @Test
  void theLengthPrefixCountsTheTag() {
    ByteBuffer ping = new SealedFrameEncoder(opener.sending()).encode(new Ping(42));
    assertEquals(4 + 7 + LinkCipher.TAG_BYTES, ping.limit());
    assertEquals(7 + LinkCipher.TAG_BYTES, ping.getInt(0));
  }

  @Test
  void aFlippedBitIsRefusedWhereverItIs() {
    byte[] frame = one(new Ping(42));
    for (int i = 0; i < frame.length; i++) {
      byte[] altered = frame.clone();
      altered[i] ^= 0x01;
      assertRefused(altered, i < 4 ? null : "bad-seal");
    }
  }

  @Test
  void aReplayedFrameIsRefused() {
    SealedFrameEncoder encoder = new SealedFrameEncoder(opener.sending());
    byte[] first = bytes(encoder.encode(new Ping(1)));
    SealedFrameDecoder decoder =
        new SealedFrameDecoder(stream(concat(first, first)), acceptor.receiving());
    assertRefusal("bad-seal", decoder, 1);
  }

  @Test
  void framesSwappedOnTheWayAreRefused() {
    SealedFrameEncoder encoder = new SealedFrameEncoder(opener.sending());
    byte[] first = bytes(encoder.encode(new Ping(1)));
    byte[] second = bytes(encoder.encode(new Ping(2)));
    SealedFrameDecoder decoder =
        new SealedFrameDecoder(stream(concat(second, first)), acceptor.receiving());
    assertRefusal("bad-seal", decoder, 0);
  }

  @Test
  void aFrameDroppedThenSentLaterIsRefused() {
    SealedFrameEncoder encoder = new SealedFrameEncoder(opener.sending());
    byte[] dropped = bytes(encoder.encode(new Ping(1)));
    byte[] next = bytes(encoder.encode(new Ping(2)));
    SealedFrameDecoder decoder =
        new SealedFrameDecoder(stream(concat(next, dropped)), acceptor.receiving());
    assertRefusal("bad-seal", decoder, 0);
  }

  @Test
  void aTruncatedFrameIsRefused() {
    byte[] frame = one(new Ping(42));
    byte[] cut = Arrays.copyOf(frame, frame.length - 1);
    assertThrows(
        EOFException.class,
        () -> new SealedFrameDecoder(stream(cut), acceptor.receiving()).next(),
        "the stream ended inside the frame");
    // the same frame one byte shorter, with a length that says so: the tag no longer matches
    ByteBuffer.wrap(cut).putInt(cut.length - 4);
    assertRefused(cut, "bad-seal");
  }

  @Test
  void impossibleLengthsAreRefusedBeforeReading() {
    for (int length :
        new int[] {0, -1, LinkCipher.TAG_BYTES, SealedFrameDecoder.MAX_SEALED_BYTES + 1}) {
      assertRefused(ByteBuffer.allocate(4).putInt(length).array(), "bad-length");
    }
  }

  @Test
  void aFrameOpensOnlyOnItsOwnLinkAndInItsOwnDirection() {
    byte[] frame = one(new Ping(42));
    LinkCiphers otherLink =
        KEY.acceptorCiphers(
            new HandshakeTranscript(PeerKey.nonce(), LINK.welcomeNonce(), "node-a", "node-b"));
    LinkCiphers otherNames =
        KEY.acceptorCiphers(
            new HandshakeTranscript(LINK.helloNonce(), LINK.welcomeNonce(), "node-a", "node-c"));
    LinkCiphers otherKey = new PeerKey("another-deployment-key-entirely!").acceptorCiphers(LINK);
    for (LinkCipher wrong :
        List.of(
            otherLink.receiving(),
            otherNames.receiving(),
            otherKey.receiving(),
            KEY.openerCiphers(LINK).receiving())) { // reflected back to its sender
      assertRefusal("bad-seal", new SealedFrameDecoder(stream(frame), wrong), 0);
    }
  }

  /**
   * The worked example of docs/PROTOCOL.md: the first frame the opener seals on a link, with the
   * key, challenges and names given there.
   */
  @Test
  void theDocumentedExampleSealsToTheDocumentedBytes() throws Exception {
    PeerKey key = new PeerKey("example-deployment-key-0123456789");
    HandshakeTranscript link =
        new HandshakeTranscript(
            "00112233445566778899aabbccddeeff",
            "ffeeddccbbaa99887766554433221100",
            "chat-a",
            "chat-b");
    assertEquals(
        "e5715ed3d08d6ba13e051fc982f63689405d701ab026bec5ff909c31fbc9b44b", key.welcomeMac(link));
    assertEquals(
        "ea6b25f40f3d3bfbcf3d1424023ce9bab54f9eb60c6f48fe1d4f2ee3614741d7", key.proofMac(link));
    assertEquals(
        DOC_OPENER_KEY,
        java.util.HexFormat.of().formatHex(key.linkKey(link, "opener-to-acceptor")));
    byte[] sealed =
        bytes(new SealedFrameEncoder(key.openerCiphers(link).sending()).encode(new Ping(42)));
    assertEquals(DOC_PING_42, java.util.HexFormat.of().formatHex(sealed));
    SealedFrameDecoder decoder =
        new SealedFrameDecoder(stream(sealed), key.acceptorCiphers(link).receiving());
    assertEquals(new Ping(42), decoder.next());
  }

  private static final String DOC_OPENER_KEY =
      "dede96d8ba98d70313c5faeaf230e1fdff357bd64228278d3cd0f052de7b9cd5";
  private static final String DOC_PING_42 =
      "00000017dcfb1598dfaadcdd9709bf98a851b1418b91e139c473ac";

  private void assertRefused(byte[] stream, String code) {
    SealedFrameDecoder decoder = new SealedFrameDecoder(stream(stream), acceptor.receiving());
    if (code == null) { // an altered length: refused, or read as a frame that is cut short
      assertThrows(Exception.class, decoder::next);
    } else {
      assertEquals(code, assertThrows(PeerProtocolException.class, decoder::next).code());
    }
  }

  /** The decoder takes {@code good} frames, then refuses the next with {@code code}. */
  private static void assertRefusal(String code, SealedFrameDecoder decoder, int good) {
    for (int i = 0; i < good; i++) {
      org.junit.jupiter.api.Assertions.assertDoesNotThrow(decoder::next);
    }
    assertEquals(code, assertThrows(PeerProtocolException.class, decoder::next).code());
  }

  private byte[] one(PeerFrame frame) {
    return bytes(new SealedFrameEncoder(opener.sending()).encode(frame));
  }

  private static byte[] seal(SealedFrameEncoder encoder, List<PeerFrame> frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (PeerFrame frame : frames) {
      byte[] bytes = bytes(encoder.encode(frame));
      out.write(bytes, 0, bytes.length);
    }
    return out.toByteArray();
  }

  private static byte[] bytes(ByteBuffer buffer) {
    return Arrays.copyOf(buffer.array(), buffer.limit());
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }

  private static ByteArrayInputStream stream(byte[] bytes) {
    return new ByteArrayInputStream(bytes);
  }
}
