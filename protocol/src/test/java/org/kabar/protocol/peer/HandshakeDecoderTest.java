package org.kabar.protocol.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Before a link is authenticated only a short HELLO (then PROOF) is read, and nothing else. */
class HandshakeDecoderTest {

  private static final List<String> HELLO = List.of("HELLO");

  @Test
  void aHelloIsTaken() throws Exception {
    Hello hello = new Hello("node-a", PeerKey.nonce());
    assertEquals(hello, decoder(plain(PeerFrameEncoder.text(hello))).next(HELLO));
  }

  @Test
  void theLongestValidWelcomeFits() throws Exception {
    String word = "w".repeat(128);
    Welcome welcome = new Welcome(word, word, word);
    assertTrue(PeerFrameEncoder.text(welcome).length() <= HandshakeDecoder.MAX_FRAME_BYTES);
    assertEquals(
        welcome, decoder(plain(PeerFrameEncoder.text(welcome))).next(List.of("WELCOME", "ERROR")));
  }

  @Test
  void aLongerFrameIsRefusedByItsLengthBeforeItsBodyIsRead() {
    int tooLong = HandshakeDecoder.MAX_FRAME_BYTES + 1;
    InputStream onlyTheLength =
        new ByteArrayInputStream(ByteBuffer.allocate(4).putInt(tooLong).array());
    PeerProtocolException refused =
        assertThrows(PeerProtocolException.class, () -> decoder(onlyTheLength).next(HELLO));
    assertEquals("bad-length", refused.code());
    // the frame decoder of an authenticated link would have waited for 64 KiB
    assertTrue(tooLong < PeerFrameDecoder.MAX_FRAME_BYTES);
  }

  @Test
  void everyOtherFrameTypeIsRefusedUndecoded() {
    for (String body :
        List.of(
            "PING 1",
            "USER ayu 1 hash 9 active",
            "SYNC 1\nFORGED",
            "CHANNEL #kelas ayu 1\nFORGED",
            "hello node-a 12",
            "HELLOS node-a 12",
            "WELCOME a b c",
            "PROOF 00",
            "\u0000\u0000",
            "HELLO")) {
      PeerProtocolException refused =
          assertThrows(PeerProtocolException.class, () -> decoder(plain(body)).next(HELLO), body);
      if (!body.equals("HELLO")) {
        assertEquals("not-authenticated", refused.code(), body);
      }
      assertFalse(refused.getMessage().contains("FORGED"), refused.getMessage());
    }
  }

  @Test
  void aHelloWithBadFieldsIsRefusedWithoutQuotingThem() {
    PeerProtocolException refused =
        assertThrows(
            PeerProtocolException.class,
            () -> decoder(plain("HELLO node-a\nFORGED 12")).next(HELLO));
    assertEquals("bad-arguments", refused.code());
    assertFalse(refused.getMessage().contains("\n"));
  }

  private static HandshakeDecoder decoder(InputStream in) {
    return new HandshakeDecoder(in);
  }

  private static InputStream plain(String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return new ByteArrayInputStream(
        ByteBuffer.allocate(4 + bytes.length).putInt(bytes.length).put(bytes).array());
  }
}
