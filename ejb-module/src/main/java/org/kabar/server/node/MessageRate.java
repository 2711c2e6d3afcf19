package org.kabar.server.node;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.kabar.protocol.peer.Load;

/**
 * How many messages this node accepted in each of the last {@value Load#BUCKETS} ten-second
 * periods: the web console's message rate. Periods start at multiples of ten seconds since the
 * epoch, so the figures of several servers add up period by period.
 */
@ApplicationScoped
public class MessageRate {

  private final long[] counts = new long[Load.BUCKETS];

  private final long[] starts = new long[Load.BUCKETS];

  /** Counts messages accepted now. */
  public void accepted(int messages) {
    accepted(messages, System.currentTimeMillis());
  }

  synchronized void accepted(int messages, long nowMillis) {
    int slot = slotOf(nowMillis);
    counts[slot] += messages;
  }

  /** The start of the period running now. */
  public static long periodStart(long nowMillis) {
    return nowMillis - Math.floorMod(nowMillis, Load.BUCKET_MILLIS);
  }

  /** The counts of the last periods, oldest first, the running one last. */
  public List<Long> periods() {
    return periods(System.currentTimeMillis());
  }

  synchronized List<Long> periods(long nowMillis) {
    long newest = periodStart(nowMillis);
    List<Long> periods = new ArrayList<>(Load.BUCKETS);
    for (int i = Load.BUCKETS - 1; i >= 0; i--) {
      long start = newest - i * Load.BUCKET_MILLIS;
      int slot = (int) Math.floorMod(start / Load.BUCKET_MILLIS, (long) Load.BUCKETS);
      periods.add(starts[slot] == start ? counts[slot] : 0L);
    }
    return periods;
  }

  private int slotOf(long nowMillis) {
    long start = periodStart(nowMillis);
    int slot = (int) Math.floorMod(start / Load.BUCKET_MILLIS, (long) Load.BUCKETS);
    if (starts[slot] != start) {
      starts[slot] = start;
      counts[slot] = 0;
    }
    return slot;
  }

  /** Messages per second over the last full period. */
  public static double perSecond(List<Long> periods) {
    return periods.size() < 2 ? 0 : periods.get(periods.size() - 2) * 1000.0 / Load.BUCKET_MILLIS;
  }
}
