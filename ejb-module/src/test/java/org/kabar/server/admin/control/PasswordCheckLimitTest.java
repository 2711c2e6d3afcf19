package org.kabar.server.admin.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PasswordCheckLimitTest {

  @Test
  void oneCheckRunsAFewWaitAndTheRestAreRefusedAtOnce() throws Exception {
    PasswordCheckLimit limit = new PasswordCheckLimit(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    ExecutorService threads = Executors.newCachedThreadPool();
    try {
      List<CompletableFuture<Optional<Boolean>>> admitted = new ArrayList<>();
      int admits = 1 + PasswordCheckLimit.WAITING_PER_CHECK;
      for (int i = 0; i < admits; i++) {
        admitted.add(
            CompletableFuture.supplyAsync(
                () ->
                    limit.run(
                        () -> {
                          mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                          await(release);
                          running.decrementAndGet();
                          return false;
                        }),
                threads));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (limit.waiting() < PasswordCheckLimit.WAITING_PER_CHECK || running.get() < 1) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the checks did not queue up: " + limit.waiting() + " waiting");
        }
        Thread.onSpinWait();
      }

      assertEquals(Optional.empty(), limit.run(() -> true), "refused at once, unchecked");

      release.countDown();
      for (CompletableFuture<Optional<Boolean>> attempt : admitted) {
        assertEquals(Optional.of(false), attempt.get(10, TimeUnit.SECONDS), "each got its answer");
      }
      assertEquals(1, mostAtOnce.get(), "one check at a time");
      assertEquals(Optional.of(true), limit.run(() -> true), "free again");
    } finally {
      threads.shutdownNow();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new AssertionError("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
