package org.kabar.protocol.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PeerFrameCodecTest {

  @Test
  void framesRoundTripThroughAStream() throws Exception {
    List<PeerFrame> frames =
        List.of(
            new Ping(1),
            new Pong(Long.MAX_VALUE),
            new Ping(-5),
            new PeerError("too-large", "frame of 9 bytes"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (PeerFrame frame : frames) {
      ByteBuffer encoded = PeerFrameEncoder.encode(frame);
      out.write(encoded.array(), 0, encoded.limit());
    }
    PeerFrameDecoder decoder = new PeerFrameDecoder(new ByteArrayInputStream(out.toByteArray()));
    for (PeerFrame frame : frames) {
      assertEquals(frame, decoder.next());
    }
    assertThrows(EOFException.class, decoder::next);
  }

  @Test
  void oversizedLengthIsRefusedBeforeReadingTheBody() {
    byte[] header = ByteBuffer.allocate(4).putInt(PeerFrameDecoder.MAX_FRAME_BYTES + 1).array();
    assertEquals("bad-length", refusal(header));
  }

  @Test
  void zeroAndNegativeLengthsAreRefused() {
    assertEquals("bad-length", refusal(ByteBuffer.allocate(4).putInt(0).array()));
    assertEquals("bad-length", refusal(ByteBuffer.allocate(4).putInt(-1).array()));
  }

  @Test
  void truncatedFrameIsAnEndOfStream() {
    byte[] truncated = ByteBuffer.allocate(6).putInt(10).put((byte) 'P').put((byte) 'I').array();
    assertThrows(
        EOFException.class, () -> new PeerFrameDecoder(new ByteArrayInputStream(truncated)).next());
  }

  @Test
  void malformedBodiesAreRefusedWithTheirReason() {
    assertEquals("unknown-frame", bodyRefusal("HELLO there"));
    assertEquals("bad-arguments", bodyRefusal("PING"));
    assertEquals("bad-arguments", bodyRefusal("PING x"));
    assertEquals("bad-arguments", bodyRefusal("PONG 1 2"));
    assertEquals("bad-arguments", bodyRefusal("ERROR only-code"));
    assertEquals(
        "bad-encoding",
        refusalOfBody(new byte[] {'P', 'I', 'N', 'G', ' ', (byte) 0xc3, (byte) 0x28}));
  }

  @Test
  void randomGarbageNeverEscapesAsAnUncheckedException() {
    Random random = new Random(5000);
    for (int i = 0; i < 5_000; i++) {
      byte[] garbage = new byte[random.nextInt(200)];
      random.nextBytes(garbage);
      try {
        new PeerFrameDecoder(new ByteArrayInputStream(garbage)).next();
      } catch (IOException | PeerProtocolException expected) {
        // refused cleanly
      }
    }
  }

  private static String bodyRefusal(String body) {
    return refusalOfBody(body.getBytes(StandardCharsets.UTF_8));
  }

  private static String refusalOfBody(byte[] body) {
    return assertThrows(PeerProtocolException.class, () -> PeerFrameDecoder.decodeBody(body))
        .code();
  }

  private static String refusal(byte[] stream) {
    return assertThrows(
            PeerProtocolException.class,
            () -> new PeerFrameDecoder(new ByteArrayInputStream(stream)).next())
        .code();
  }
}
