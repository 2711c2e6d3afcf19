package org.kabar.adapter.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.kabar.adapter.api.ClientDatagram;
import org.kabar.protocol.client.ClientCodec;
import org.kabar.protocol.client.ClientReply.ErrorReply;
import org.kabar.protocol.client.Command;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.protocol.client.Request;
import org.kabar.protocol.client.RetryHint;

class SendSheddingTest {

  private static final Instant READ = Instant.parse("2026-12-03T10:00:00Z");
  private static final String TOKEN = "AbCdEfGhIjKlMnOpQrStUv";
  private static final InetSocketAddress FROM = new InetSocketAddress("127.0.0.1", 40000);

  private static ClientDatagram datagram(long seq, Command command) {
    byte[] wire = ClientCodec.encodeRequest(new Request(seq, TOKEN, command));
    return new ClientDatagram(FROM, ClientCodec.decode(wire), wire.length, READ);
  }

  private static ClientDatagram send(long seq) {
    return datagram(seq, new Command.Send("budi", "halo, apa kabar?"));
  }

  private static Instant after(long millis) {
    return READ.plusMillis(millis);
  }

  private static ErrorReply decoded(byte[] reply) {
    return (ErrorReply) ClientCodec.decodeReply(ByteBuffer.wrap(reply));
  }

  private static long hint(byte[] reply) {
    return RetryHint.millis(decoded(reply)).getAsLong();
  }

  @Test
  void aSendWithinTheBoundIsServed() {
    assertNull(new SendShedding(25).refusal(send(1), after(25)));
  }

  @Test
  void aSendThatWaitedLongerIsRefusedWithTwiceItsWaitAndNoMoreBytesThanItCarried() {
    ClientDatagram late = send(7);
    byte[] reply = new SendShedding(25).refusal(late, after(40));
    ErrorReply busy = decoded(reply);
    assertEquals(ErrorCode.BUSY, busy.code());
    assertEquals(7, busy.seq());
    assertTrue(hint(reply) >= 80 && hint(reply) <= 85, "twice the 40 ms waited: " + busy);
    assertTrue(reply.length <= late.sizeBytes(), "no larger than the request");
  }

  @Test
  void aHintThatWouldMakeTheReplyLargerIsCutToTheCode() {
    // a SEND with its token is always longer than its refusal; this one says it was not
    ClientDatagram send = send(123456789012345678L);
    ClientDatagram tiny = new ClientDatagram(FROM, send.request(), 30, READ);
    byte[] reply = new SendShedding(25).refusal(tiny, after(40));
    assertTrue(reply.length <= tiny.sizeBytes(), reply.length + " > " + tiny.sizeBytes());
    assertEquals(RetryHint.MIN_MILLIS, hint(reply), "cut: the shortest wait");
  }

  @Test
  void onlySendIsShed() {
    SendShedding shedding = new SendShedding(25);
    for (Command other :
        new Command[] {new Command.Ack(5), new Command.Live(), new Command.Logout()}) {
      assertNull(shedding.refusal(datagram(1, other), after(5_000)), other.verb());
    }
  }

  @Test
  void theMoreAreRefusedTheLongerRefusedClientsStayAway() {
    SendShedding shedding = new SendShedding(25);
    long first = hint(shedding.refusal(send(1), after(40)));
    for (int i = 1; i <= 1_000; i++) {
      shedding.refusal(send(i), after(40));
    }
    long later = hint(shedding.refusal(send(2), after(40)));
    assertEquals(RetryHint.MAX_MILLIS, later, "nearly all refused: the longest wait");
    for (int i = 1; i <= 2_000; i++) {
      assertNull(shedding.refusal(send(i), after(1))); // the queue drained
    }
    long calm = hint(shedding.refusal(send(3), after(40)));
    assertTrue(calm < 2 * first, "back near twice the wait once few are refused: " + calm);
  }

  @Test
  void halfRefusedMeansFourTimesTheWait() {
    SendShedding shedding = new SendShedding(25);
    for (int i = 1; i <= 4_000; i++) {
      shedding.refusal(send(i), after(i % 2 == 0 ? 40 : 1)); // every other one refused
    }
    long hint = hint(shedding.refusal(send(1), after(40)));
    assertTrue(hint >= 4 * 80 * 0.8 && hint <= 4 * 80 * 1.25, "about 4 × 80 ms: " + hint);
  }

  @Test
  void zeroTurnsSheddingOffAndABoundOutOfRangeIsRefused() {
    assertNull(new SendShedding(0).refusal(send(1), after(60_000)));
    assertThrows(IllegalArgumentException.class, () -> new SendShedding(-1));
    assertThrows(
        IllegalArgumentException.class, () -> new SendShedding(SendShedding.MOST_MILLIS + 1));
  }

  @Test
  void aMalformedDatagramIsLeftToTheBean() {
    byte[] wire = "K1 5 ~nonsense".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ClientDatagram malformed =
        new ClientDatagram(FROM, ClientCodec.decode(wire), wire.length, READ);
    assertNull(new SendShedding(25).refusal(malformed, after(5_000)));
  }
}
