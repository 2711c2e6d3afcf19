package org.kabar.server.cluster.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CopyLocksTest {

  @Test
  void mergesOfOneRowNeverOverlap() throws Exception {
    CopyLocks locks = new CopyLocks();
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> merges = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        merges.add(
            threads.submit(
                () -> {
                  start.await();
                  int total = 0;
                  for (int n = 0; n < 200; n++) {
                    total +=
                        locks.merging(
                            42L,
                            () -> {
                              most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                              Thread.onSpinWait();
                              inside.decrementAndGet();
                              return 1;
                            });
                  }
                  return total;
                }));
      }
      start.countDown();
      int merged = 0;
      for (Future<Integer> merge : merges) {
        merged += merge.get();
      }
      assertEquals(1600, merged);
      assertEquals(1, most.get(), "two merges of one row ran at once");
    } finally {
      threads.shutdownNow();
    }
  }
}
