package org.kabar.server.cluster.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CatchUpsTest {

  private final CatchUps catchUps = new CatchUps();

  @Test
  void eachPeerIsOwedOneCatchUpPerStart() {
    assertTrue(catchUps.owed("10.0.0.2", 5000), "the first sign of life since start");
    assertFalse(catchUps.owed("10.0.0.2", 5000), "the next ones");
    assertTrue(catchUps.owed("10.0.0.3", 5000), "another peer");
    assertTrue(catchUps.owed("10.0.0.2", 5001), "another port of the same host");
  }

  @Test
  void aCatchUpNotSentIsOwedAgainFromItsOwnTime() {
    Instant down = Instant.parse("2026-12-04T10:00:00Z");
    Instant failedAt = Instant.parse("2026-12-04T10:05:00Z");
    assertTrue(catchUps.owed("10.0.0.2", 5000));
    assertEquals(down, catchUps.since("10.0.0.2", 5000, down));
    catchUps.failed("10.0.0.2", 5000, down);

    assertTrue(catchUps.owed("10.0.0.2", 5000), "owed again at the next sign of life");
    assertEquals(
        down,
        catchUps.since("10.0.0.2", 5000, failedAt),
        "from when it was last heard before the failed one, not from the failed one");
    assertEquals(failedAt, catchUps.since("10.0.0.2", 5000, failedAt), "used once");
  }

  @Test
  void signsOfLifeFromOnePeerAreRecordedOneAtATime() throws Exception {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        done.add(
            threads.submit(
                () -> {
                  go.await();
                  int recorded = 0;
                  for (int i = 0; i < 200; i++) {
                    recorded +=
                        catchUps.heardFrom(
                            "10.0.0.2",
                            5000,
                            () -> {
                              most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                              Thread.onSpinWait();
                              inside.decrementAndGet();
                              return 1;
                            });
                  }
                  return recorded;
                }));
      }
      go.countDown();
      int recorded = 0;
      for (Future<Integer> d : done) {
        recorded += d.get(30, TimeUnit.SECONDS);
      }
      assertEquals(800, recorded);
      assertEquals(1, most.get(), "never two at once");
    } finally {
      threads.shutdownNow();
    }
  }
}
