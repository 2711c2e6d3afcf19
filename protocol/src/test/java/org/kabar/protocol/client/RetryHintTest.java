package org.kabar.protocol.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.kabar.protocol.client.ClientReply.ErrorReply;

class RetryHintTest {

  private static ClientReply overTheWire(ClientReply reply) {
    return ClientCodec.decodeReply(ByteBuffer.wrap(ClientCodec.encode(reply)));
  }

  @Test
  void aBusyReplyCarriesItsWaitOverTheWire() {
    ClientReply reply = overTheWire(RetryHint.busy(42, 120));
    assertEquals(new ErrorReply(42, ErrorCode.BUSY, "busy, retry in 120 ms"), reply);
    assertEquals(OptionalLong.of(120), RetryHint.millis(reply));
  }

  @Test
  void theWaitStaysWithinItsBoundsWhateverIsAskedOrSaid() {
    assertEquals("busy, retry in 50 ms", RetryHint.text(3));
    assertEquals("busy, retry in 5000 ms", RetryHint.text(90_000));
    ClientReply boastful = new ErrorReply(1, ErrorCode.BUSY, "busy, retry in 999999 ms");
    assertEquals(OptionalLong.of(RetryHint.MAX_MILLIS), RetryHint.millis(boastful));
  }

  @Test
  void aReplyCutToItsCodeMeansTheShortestWait() {
    assertEquals(
        OptionalLong.of(RetryHint.MIN_MILLIS),
        RetryHint.millis(overTheWire(ErrorReply.of(7, ErrorCode.BUSY))));
  }

  @Test
  void otherRepliesAreNoHint() {
    assertEquals(OptionalLong.empty(), RetryHint.millis(ErrorReply.of(7, ErrorCode.RATE_LIMITED)));
    assertEquals(OptionalLong.empty(), RetryHint.millis(new ClientReply.Done(7, "ACK")));
  }
}
