package org.kabar.server.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kabar.protocol.peer.Load;

class MessageRateTest {

  private static final long T0 = 1_795_000_000_000L; // a multiple of ten seconds

  @Test
  void countsLandInTheirPeriodOldestFirst() {
    MessageRate rate = new MessageRate();
    rate.accepted(3, T0 + 1_000);
    rate.accepted(2, T0 + 9_999);
    rate.accepted(7, T0 + 10_000);
    List<Long> periods = rate.periods(T0 + 12_000);
    assertEquals(Load.BUCKETS, periods.size());
    assertEquals(7L, periods.get(Load.BUCKETS - 1), "the running period");
    assertEquals(5L, periods.get(Load.BUCKETS - 2));
    assertEquals(0.5, MessageRate.perSecond(periods), 1e-9);
  }

  @Test
  void periodsOlderThanTheWindowAreForgotten() {
    MessageRate rate = new MessageRate();
    rate.accepted(4, T0);
    long later = T0 + Load.BUCKETS * Load.BUCKET_MILLIS; // the same slot, a full window later
    assertEquals(0L, rate.periods(later).stream().mapToLong(Long::longValue).sum());
    rate.accepted(1, later);
    assertEquals(1L, rate.periods(later).get(Load.BUCKETS - 1));
  }

  @Test
  void periodsStartAtMultiplesOfTenSeconds() {
    assertEquals(T0, MessageRate.periodStart(T0 + 9_999));
    assertEquals(T0 + 10_000, MessageRate.periodStart(T0 + 10_000));
  }
}
