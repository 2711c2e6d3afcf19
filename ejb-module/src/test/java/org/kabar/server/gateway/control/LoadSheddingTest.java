package org.kabar.server.gateway.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.kabar.protocol.client.ClientReply.ErrorReply;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.protocol.client.RetryHint;

class LoadSheddingTest {

  private static final Instant READ = Instant.parse("2026-12-03T10:00:00Z");

  private static LoadShedding bound(int millis) {
    LoadShedding shedding = new LoadShedding();
    shedding.configuredMillis = millis;
    shedding.validate();
    return shedding;
  }

  private static Instant after(long millis) {
    return READ.plusMillis(millis);
  }

  @Test
  void aSendWithinTheBoundIsServed() {
    LoadShedding shedding = bound(25);
    assertNull(shedding.refusal(1, READ, after(25)));
    assertEquals(0, shedding.shed());
  }

  @Test
  void aSendThatWaitedLongerIsRefusedWithTwiceItsWaitAtLeast() {
    LoadShedding shedding = bound(25);
    ErrorReply busy = shedding.refusal(7, READ, after(40));
    assertEquals(ErrorCode.BUSY, busy.code());
    assertEquals(7, busy.seq());
    long hint = RetryHint.millis(busy).getAsLong();
    assertTrue(hint >= 80 && hint <= 85, "twice the 40 ms waited, barely stretched: " + hint);
    assertEquals(1, shedding.shed());
  }

  @Test
  void theMoreAreRefusedTheLongerRefusedClientsStayAway() {
    LoadShedding shedding = bound(25);
    long first = RetryHint.millis(shedding.refusal(1, READ, after(40))).getAsLong();
    for (int i = 0; i < 1_000; i++) {
      shedding.refusal(i, READ, after(40));
    }
    long later = RetryHint.millis(shedding.refusal(2, READ, after(40))).getAsLong();
    assertTrue(later > 4 * first, first + " ms, then " + later + " ms");
    assertTrue(later <= 9 * 80, "at most nine times twice the wait: " + later);
    for (int i = 0; i < 2_000; i++) {
      assertNull(shedding.refusal(i, READ, after(1))); // the queue drained
    }
    long calm = RetryHint.millis(shedding.refusal(3, READ, after(40))).getAsLong();
    assertTrue(calm < 2 * first, "back near twice the wait once few are refused: " + calm);
  }

  @Test
  void zeroTurnsSheddingOff() {
    assertNull(bound(0).refusal(1, READ, after(60_000)));
  }

  @Test
  void aBoundOutOfRangeFallsBackToTheDefault() {
    for (int wrong : new int[] {-1, LoadShedding.MOST_MILLIS + 1}) {
      LoadShedding shedding = bound(wrong);
      assertNull(shedding.refusal(1, READ, after(LoadShedding.DEFAULT_MILLIS)), "" + wrong);
      assertEquals(
          ErrorCode.BUSY,
          shedding.refusal(1, READ, after(LoadShedding.DEFAULT_MILLIS + 1)).code(),
          "" + wrong);
    }
  }
}
