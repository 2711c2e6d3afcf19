package org.kabar.protocol.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kabar.protocol.client.ClientReply.Alive;
import org.kabar.protocol.client.ClientReply.ErrorReply;

class ClientCodecTest {

  @ParameterizedTest
  @ValueSource(strings = {"/@live?", "/@live?\n", "/@live?\r\n", "  /@live?  ", "/@live?\n\n"})
  void liveCheckIsRecognisedAsTypedByHand(String datagram) {
    assertEquals(new LiveCheck(), ClientCodec.decode(bytes(datagram)));
  }

  @Test
  void aliveEncodesAsYesAndDecodesBack() {
    byte[] wire = ClientCodec.encode(new Alive());
    assertEquals("yes\n", new String(wire, StandardCharsets.UTF_8));
    assertEquals(new Alive(), ClientCodec.decodeReply(ByteBuffer.wrap(wire)));
  }

  @Test
  void everyErrorCodeRoundTrips() {
    for (ErrorCode code : ErrorCode.values()) {
      if (code == ErrorCode.FULL) {
        continue; // decoded as a Full reply; see FramedCodecTest
      }
      ErrorReply reply = ErrorReply.of(0, code);
      byte[] wire = ClientCodec.encode(reply);
      assertEquals(reply, ClientCodec.decodeReply(ByteBuffer.wrap(wire)));
    }
  }

  @Test
  void oversizedDatagramIsRefusedAsTooLarge() {
    byte[] big = new byte[ClientCodec.MAX_DATAGRAM_BYTES + 1];
    Arrays.fill(big, (byte) 'a');
    assertEquals(ErrorCode.TOO_LARGE, codeOf(ClientCodec.decode(big)));
  }

  @Test
  void datagramOfExactlyTheLimitIsDecoded() {
    byte[] atLimit = new byte[ClientCodec.MAX_DATAGRAM_BYTES];
    Arrays.fill(atLimit, (byte) 'a');
    assertEquals(ErrorCode.UNKNOWN_COMMAND, codeOf(ClientCodec.decode(atLimit)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "\n", "   ", "\r\n"})
  void emptyDatagramIsRefused(String datagram) {
    assertEquals(ErrorCode.EMPTY, codeOf(ClientCodec.decode(bytes(datagram))));
  }

  @Test
  void invalidUtf8IsRefusedAsBadEncoding() {
    byte[][] cases = {
      {(byte) 0xff},
      {(byte) 0xc3},
      {(byte) 0xe2, (byte) 0x82},
      {'/', '@', (byte) 0x80},
      {(byte) 0xed, (byte) 0xa0, (byte) 0x80} // an encoded UTF-16 surrogate
    };
    for (byte[] datagram : cases) {
      assertEquals(ErrorCode.BAD_ENCODING, codeOf(ClientCodec.decode(datagram)));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/@live?\u0000", "\u0007/@live?", "/@li\u001bve?", "a\u007f"})
  void controlCharactersAreRefused(String datagram) {
    assertEquals(ErrorCode.BAD_ENCODING, codeOf(ClientCodec.decode(bytes(datagram))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/@live", "/@LIVE?", "hello", "/@live? now", "ключ", "💬", "K", "K1x 2"})
  void unknownCommandsAreRefused(String datagram) {
    assertEquals(ErrorCode.UNKNOWN_COMMAND, codeOf(ClientCodec.decode(bytes(datagram))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"K2 1 LIST", "K12 1 LIST", "K999 1 LIST"})
  void otherVersionsAreRefusedAsUnsupported(String datagram) {
    assertEquals(ErrorCode.UNSUPPORTED_VERSION, codeOf(ClientCodec.decode(bytes(datagram))));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "K1 0 LIST",
        "K1 -1 LIST",
        "K1 x LIST",
        "K1 1x LIST",
        "K1 +1 LIST",
        "K1 1234567890123456789 LIST",
        "K1  LIST"
      })
  void aSequenceNumberThatIsNotAPositiveNumberIsRefused(String datagram) {
    assertEquals(ErrorCode.BAD_ARGUMENTS, codeOf(ClientCodec.decode(bytes(datagram))));
  }

  @Test
  void theLargestSequenceNumberIsTaken() {
    // LIST needs a session: refused, but under the sequence number read
    assertEquals(
        999_999_999_999_999_999L,
        assertInstanceOf(
                InvalidRequest.class, ClientCodec.decode(bytes("K1 999999999999999999 LIST")))
            .seq());
  }

  @ParameterizedTest
  @ValueSource(strings = {"K1000 1 LIST", "KK 1 LIST", "k1 1 LIST", "K١ 1 LIST"})
  void aVersionWordOutOfShapeIsAnUnknownCommand(String datagram) {
    assertEquals(ErrorCode.UNKNOWN_COMMAND, codeOf(ClientCodec.decode(bytes(datagram))));
  }

  @Test
  void randomBytesNeverThrowAndAlwaysDecodeToARequest() {
    Random random = new Random(20261126L);
    for (int i = 0; i < 20_000; i++) {
      byte[] datagram = new byte[random.nextInt(ClientCodec.MAX_DATAGRAM_BYTES + 50)];
      random.nextBytes(datagram);
      ClientRequest request = ClientCodec.decode(datagram);
      assertNotNull(request);
      if (request instanceof InvalidRequest invalid) {
        assertNotNull(invalid.code());
      }
    }
  }

  @Test
  void decodeLeavesTheCallersBufferUntouched() {
    ByteBuffer buffer = ByteBuffer.wrap(bytes("/@live?"));
    ClientCodec.decode(buffer);
    assertEquals(0, buffer.position());
  }

  @Test
  void unknownReplyIsRejectedOnTheClientSide() {
    assertThrows(
        IllegalArgumentException.class,
        () -> ClientCodec.decodeReply(ByteBuffer.wrap(bytes("maybe"))));
  }

  private static ErrorCode codeOf(ClientRequest request) {
    return assertInstanceOf(InvalidRequest.class, request).code();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
