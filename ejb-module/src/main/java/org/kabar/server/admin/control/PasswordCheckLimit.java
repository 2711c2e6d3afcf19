package org.kabar.server.admin.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Bounds how many of the console's password checks run at once. Each is a PBKDF2 hash (at 600,000
 * iterations, about half a second of one core), so sign-ins from many addresses at once would
 * otherwise take every core from the node's users. A few more attempts wait for a free check;
 * beyond that an attempt is refused at once, before any hashing.
 */
@ApplicationScoped
public class PasswordCheckLimit {

  private static final Logger LOG = Logger.getLogger(PasswordCheckLimit.class.getName());

  /** Attempts that may wait for a running check, per check allowed to run. */
  static final int WAITING_PER_CHECK = 4;

  /** How long an attempt waits for a free check before it is refused. */
  static final long WAIT_SECONDS = 10;

  private final Semaphore running;
  private final Semaphore admitted;
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong lastLoggedNanos = new AtomicLong(System.nanoTime() - 60_000_000_000L);

  /** Half the processors check passwords at most (one on a machine of two): the rest serve. */
  public PasswordCheckLimit() {
    this(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
  }

  PasswordCheckLimit(int checks) {
    running = new Semaphore(checks, true);
    admitted = new Semaphore(checks * (1 + WAITING_PER_CHECK));
  }

  /**
   * Runs the check when one may run.
   *
   * @return its answer, or empty if too many checks are running or waiting
   */
  public Optional<Boolean> run(BooleanSupplier check) {
    if (!admitted.tryAcquire()) {
      return refuse();
    }
    try {
      if (!running.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
        return refuse();
      }
      try {
        return Optional.of(check.getAsBoolean());
      } finally {
        running.release();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return refuse();
    } finally {
      admitted.release();
    }
  }

  /** Attempts waiting for a check to finish now. */
  int waiting() {
    return running.getQueueLength();
  }

  private Optional<Boolean> refuse() {
    long count = refused.incrementAndGet();
    long now = System.nanoTime();
    long last = lastLoggedNanos.get();
    // one line a minute at most: a flood must not flood the log
    if (now - last >= 60_000_000_000L && lastLoggedNanos.compareAndSet(last, now)) {
      LOG.warning(
          () ->
              "console sign-in busy: "
                  + count
                  + " attempts refused so far because too many password checks ran at once");
    }
    return Optional.empty();
  }
}
