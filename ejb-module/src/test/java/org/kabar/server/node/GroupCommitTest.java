package org.kabar.server.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

  /** A store that takes a millisecond a transaction, as a commit does, and counts them. */
  private static final class SlowStore {
    final AtomicInteger transactions = new AtomicInteger();
    final AtomicInteger inside = new AtomicInteger();
    final AtomicInteger mostInside = new AtomicInteger();
    final Set<Integer> written = ConcurrentHashMap.newKeySet();
    final AtomicInteger largestBatch = new AtomicInteger();

    List<Integer> writeAll(List<Integer> values) {
      enter();
      try {
        largestBatch.accumulateAndGet(values.size(), Math::max);
        for (int value : values) {
          if (value < 0) {
            throw new IllegalArgumentException("negative: " + value);
          }
        }
        values.forEach(written::add);
        return values.stream().map(v -> v * 2).toList();
      } finally {
        inside.decrementAndGet();
      }
    }

    Integer writeOne(Integer value) {
      return writeAll(List.of(value)).get(0);
    }

    private void enter() {
      transactions.incrementAndGet();
      mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static List<Future<Integer>> runConcurrently(
      GroupCommit<Integer, Integer> commit, int threads, int perThread, int poison)
      throws InterruptedException {
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<Integer>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < perThread; i++) {
        int value = t * perThread + i;
        int input = value == poison ? -1 : value;
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return commit.run(input);
                }));
      }
    }
    start.countDown();
    pool.shutdown();
    assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS), "every caller returns");
    return results;
  }

  @Test
  void everyCallerGetsItsOwnResultAndWritesShareTransactions() throws Exception {
    SlowStore store = new SlowStore();
    GroupCommit<Integer, Integer> commit = new GroupCommit<>(store::writeAll, store::writeOne, 64);

    List<Future<Integer>> results = runConcurrently(commit, 16, 50, -1);

    for (int i = 0; i < results.size(); i++) {
      assertEquals(2 * i, results.get(i).get(), "the result of write " + i);
    }
    assertEquals(800, store.written.size(), "every write was made");
    assertEquals(1, store.mostInside.get(), "one batch at a time");
    assertTrue(store.largestBatch.get() > 1, "writes arriving together share a batch");
    assertTrue(
        store.transactions.get() < 800,
        "fewer transactions than writes: " + store.transactions.get());
    assertEquals(0, commit.waiting());
  }

  @Test
  void aFailingWriteFailsAloneAndTheOthersAreMade() throws Exception {
    SlowStore store = new SlowStore();
    GroupCommit<Integer, Integer> commit = new GroupCommit<>(store::writeAll, store::writeOne, 64);

    List<Future<Integer>> results = runConcurrently(commit, 8, 20, 77);

    for (int i = 0; i < results.size(); i++) {
      if (i == 77) {
        Future<Integer> failed = results.get(i);
        Exception e = assertThrows(Exception.class, failed::get);
        assertTrue(e.getCause() instanceof IllegalArgumentException, "its own failure: " + e);
      } else {
        assertEquals(2 * i, results.get(i).get(), "the result of write " + i);
      }
    }
    assertEquals(159, store.written.size(), "every other write was made");
  }

  @Test
  void batchesNeverExceedTheLimit() throws Exception {
    SlowStore store = new SlowStore();
    GroupCommit<Integer, Integer> commit = new GroupCommit<>(store::writeAll, store::writeOne, 4);

    runConcurrently(commit, 16, 20, -1);

    assertTrue(store.largestBatch.get() <= 4, "largest batch " + store.largestBatch.get());
    assertEquals(320, store.written.size());
  }

  @Test
  void aLoneCallerWritesAtOnce() {
    SlowStore store = new SlowStore();
    GroupCommit<Integer, Integer> commit = new GroupCommit<>(store::writeAll, store::writeOne, 64);

    assertEquals(10, commit.run(5));
    assertEquals(14, commit.run(7));
    assertEquals(2, store.transactions.get());
  }

  @Test
  void aBatchWithTooFewResultsIsNotWrittenAgain() {
    AtomicInteger singles = new AtomicInteger();
    GroupCommit<Integer, Integer> commit =
        new GroupCommit<>(
            values -> List.of(),
            value -> {
              singles.incrementAndGet();
              return value;
            },
            64);

    assertEquals(3, commit.run(3), "alone: the single write");
    assertEquals(1, singles.get());
    assertThrows(IllegalArgumentException.class, () -> new GroupCommit<>(v -> v, v -> v, 0));
  }

  @Test
  void gatheredWritesOfManyCallersRunInBatchesLargerThanTheThreadsAndEachGetsItsOwnOutcome()
      throws Exception {
    SlowStore store = new SlowStore();
    GroupCommit<Integer, Integer> commit = new GroupCommit<>(store::writeAll, store::writeOne, 256);
    int threads = 4;
    int perCaller = 100;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<List<java.util.concurrent.CompletableFuture<Integer>>>> callers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int first = t * perCaller;
      callers.add(
          pool.submit(
              () -> {
                start.await();
                GroupCommit<Integer, Integer>.Gathered gathered = commit.gather();
                List<java.util.concurrent.CompletableFuture<Integer>> mine = new ArrayList<>();
                for (int i = first; i < first + perCaller; i++) {
                  mine.add(gathered.add(i == 150 ? -1 : i));
                }
                gathered.run();
                for (java.util.concurrent.CompletableFuture<Integer> f : mine) {
                  assertTrue(f.isDone(), "every write is done when run returns");
                }
                return mine;
              }));
    }
    start.countDown();
    pool.shutdown();
    assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS), "every caller returns");

    for (int t = 0; t < threads; t++) {
      List<java.util.concurrent.CompletableFuture<Integer>> mine = callers.get(t).get();
      for (int i = 0; i < perCaller; i++) {
        int value = t * perCaller + i;
        if (value == 150) {
          java.util.concurrent.CompletableFuture<Integer> failed = mine.get(i);
          assertThrows(IllegalArgumentException.class, () -> GroupCommit.outcome(failed));
        } else {
          assertEquals(2 * value, GroupCommit.outcome(mine.get(i)), "the result of write " + value);
        }
      }
    }
    assertEquals(399, store.written.size(), "every write but the bad one was made");
    assertEquals(1, store.mostInside.get(), "one batch at a time");
    assertTrue(
        store.largestBatch.get() > threads,
        "a batch is not capped by the callers: " + store.largestBatch.get());
    assertEquals(0, commit.waiting());
  }

  @Test
  void aGatheredBatchLargerThanTheLimitRunsInSeveralTransactions() {
    SlowStore store = new SlowStore();
    GroupCommit<Integer, Integer> commit = new GroupCommit<>(store::writeAll, store::writeOne, 8);
    GroupCommit<Integer, Integer>.Gathered gathered = commit.gather();
    List<java.util.concurrent.CompletableFuture<Integer>> results = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      results.add(gathered.add(i));
    }
    gathered.run();

    assertEquals(3, store.transactions.get(), "8 + 8 + 4");
    for (int i = 0; i < 20; i++) {
      assertEquals(2 * i, GroupCommit.outcome(results.get(i)));
    }
    assertThrows(IllegalStateException.class, () -> gathered.add(1), "run once");
    commit.gather().run(); // nothing gathered: returns at once
  }

  @Test
  void twoLeadersRunTwoBatchesAtOnceAndNeverLoseTheLead() throws Exception {
    SlowStore store = new SlowStore();
    GroupCommit<Integer, Integer> commit =
        new GroupCommit<>(store::writeAll, store::writeOne, 16, 2);
    for (int round = 0; round < 5; round++) {
      List<Future<Integer>> results = runConcurrently(commit, 12, 40, -1);
      for (int i = 0; i < results.size(); i++) {
        assertEquals(2 * i, results.get(i).get(), "the result of write " + i);
      }
      assertEquals(0, commit.leaders(), "no leader left behind after round " + round);
      assertEquals(0, commit.waiting());
    }
    assertTrue(store.mostInside.get() <= 2, "at most two batches at once: " + store.mostInside);
    assertEquals(480, store.written.size());
    assertEquals(10, commit.run(5), "a lone caller still leads");
    assertThrows(
        IllegalArgumentException.class,
        () -> new GroupCommit<Integer, Integer>(v -> v, v -> v, 1, 0));
  }
}
