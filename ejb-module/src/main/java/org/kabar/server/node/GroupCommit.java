package org.kabar.server.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Gathers the writes that arrive together from many threads and runs them as one batch, so that
 * they share one transaction and one durable commit instead of each paying for its own. Each caller
 * still returns only once its own write has been committed: durability is unchanged.
 *
 * <p>No thread of its own: the first caller to find no batch running becomes the <em>leader</em>
 * (up to {@code maxLeaders} lead at once, each with a batch of its own). It takes what is queued
 * (its own write among it, at most {@code maxBatch} at a time), runs it, hands each caller its
 * result, and once its own write is done passes the lead to the oldest caller still waiting.
 * Everyone else waits for either its result or the lead. So a write waits at most for the batch
 * running when it arrived, and a leader never serves others indefinitely.
 *
 * <p>A caller may queue several writes at once ({@link #gather()}): a thread serving a batch of
 * datagrams queues the writes of all of them and waits once, so the size of a batch is set by what
 * is waiting, not by the number of threads. It leads, or waits, until all of its writes are done.
 *
 * <p>If a batch fails, its writes are run again one by one ({@code single}), so one bad write fails
 * alone and the others still succeed.
 *
 * @param <I> what a caller asks to write
 * @param <O> what the write comes to
 */
public final class GroupCommit<I, O> {

  private final Function<List<I>, List<O>> batch;
  private final Function<I, O> single;
  private final int maxBatch;
  private final ConcurrentLinkedQueue<Pending<I, O>> queue = new ConcurrentLinkedQueue<>();
  private final int maxLeaders;
  private final AtomicInteger leaders = new AtomicInteger();

  /**
   * @param batch runs several writes in one transaction; returns one result per write, in order
   * @param single runs one write in a transaction of its own
   * @param maxBatch the most writes in one batch
   */
  public GroupCommit(Function<List<I>, List<O>> batch, Function<I, O> single, int maxBatch) {
    this(batch, single, maxBatch, 1);
  }

  /**
   * @param maxLeaders the most batches running at once: 1 runs them one after the other; more let
   *     one batch execute while another waits for its commit to reach the disk, each on a core
   */
  public GroupCommit(
      Function<List<I>, List<O>> batch, Function<I, O> single, int maxBatch, int maxLeaders) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("a batch holds at least 1 write, was " + maxBatch);
    }
    if (maxLeaders < 1) {
      throw new IllegalArgumentException("at least 1 batch runs at a time, was " + maxLeaders);
    }
    this.batch = Objects.requireNonNull(batch);
    this.single = Objects.requireNonNull(single);
    this.maxBatch = maxBatch;
    this.maxLeaders = maxLeaders;
  }

  /**
   * Runs one write, with whatever other writes are waiting, and returns its result once committed.
   *
   * @throws RuntimeException what the write threw when run alone
   */
  public O run(I input) {
    Gathered gathered = gather();
    CompletableFuture<O> result = gathered.add(input);
    gathered.run();
    return outcome(result);
  }

  /**
   * Starts gathering one caller's writes, to be run together with {@link Gathered#run()}: what a
   * caller does that serves many requests at once (a batch of datagrams) instead of one thread per
   * write.
   */
  public Gathered gather() {
    return new Gathered();
  }

  /**
   * The result of a write gathered and run, once {@link Gathered#run()} has returned.
   *
   * @throws RuntimeException what the write threw when run alone
   */
  public static <O> O outcome(CompletableFuture<O> result) {
    try {
      return result.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw e;
    }
  }

  /** One caller's writes, queued together and awaited together. */
  public final class Gathered {
    private final List<Pending<I, O>> mine = new ArrayList<>();
    private final Waiter waiter = new Waiter();
    private boolean ran;

    /** Adds a write; its future completes once the write is committed (or has failed alone). */
    public CompletableFuture<O> add(I input) {
      if (ran) {
        throw new IllegalStateException("these writes have been run already");
      }
      Pending<I, O> pending = new Pending<>(input, waiter);
      mine.add(pending);
      return pending.done;
    }

    /**
     * Runs the writes added, with whatever else waits, and returns once every one is done; each
     * one's outcome is in the future {@link #add} returned. Never throws for a write's failure.
     */
    public void run() {
      if (ran || mine.isEmpty()) {
        ran = true;
        return;
      }
      ran = true;
      try {
        queue.addAll(mine);
        if (takeLead()) {
          if (!waiter.turn.complete(Boolean.FALSE)) {
            leaders.decrementAndGet(); // a leader passed its lead to us meanwhile: one is enough
          }
        } else if (!waiter.awaitTurnOrDone()) {
          return;
        }
        try {
          while (!waiter.allDone()) {
            runBatch(drain());
          }
        } finally {
          handOver();
        }
      } finally {
        // after an Error above, no caller may wait for ever on a write of its own
        IllegalStateException abandoned = new IllegalStateException("group commit abandoned");
        mine.forEach(pending -> pending.done.completeExceptionally(abandoned));
      }
    }
  }

  private List<Pending<I, O>> drain() {
    List<Pending<I, O>> taken = new ArrayList<>();
    for (Pending<I, O> next; taken.size() < maxBatch && (next = queue.poll()) != null; ) {
      taken.add(next);
    }
    return taken;
  }

  private void runBatch(List<Pending<I, O>> taken) {
    try {
      List<O> results = taken.size() > 1 ? together(taken) : null;
      for (int i = 0; i < taken.size(); i++) {
        Pending<I, O> pending = taken.get(i);
        if (results != null) {
          pending.done.complete(results.get(i));
          continue;
        }
        try {
          pending.done.complete(single.apply(pending.input));
        } catch (RuntimeException e) {
          pending.done.completeExceptionally(e);
        }
      }
    } finally {
      // an Error above must not leave a caller waiting for ever
      IllegalStateException abandoned = new IllegalStateException("group commit abandoned");
      taken.forEach(pending -> pending.done.completeExceptionally(abandoned));
    }
  }

  /** The batch's results, or null if it failed (each write then runs alone). */
  private List<O> together(List<Pending<I, O>> taken) {
    List<O> results;
    try {
      results = batch.apply(taken.stream().map(p -> p.input).toList());
    } catch (RuntimeException e) {
      return null;
    }
    if (results.size() != taken.size()) { // committed, so not to be run again
      throw new IllegalStateException(results.size() + " results for " + taken.size() + " writes");
    }
    return results;
  }

  /** Becomes a leader if fewer than {@code maxLeaders} run. */
  private boolean takeLead() {
    for (int now = leaders.get(); now < maxLeaders; now = leaders.get()) {
      if (leaders.compareAndSet(now, now + 1)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Gives the lead to the oldest waiting caller, or gives it up if none waits (or the oldest one's
   * caller leads already). Whenever a write is queued, some leader runs or is about to.
   */
  private void handOver() {
    while (true) {
      Pending<I, O> next = queue.peek();
      if (next != null && next.waiter.turn.complete(Boolean.TRUE)) {
        return; // the lead passes on: the number of leaders stays
      }
      if (leaders.decrementAndGet() > 0) {
        return; // another leader runs: it serves what is queued
      }
      if (queue.isEmpty() || !takeLead()) {
        return; // a caller that arrives now finds no leader and leads itself
      }
    }
  }

  /** Leaders now: for tests. */
  int leaders() {
    return leaders.get();
  }

  /** Writes waiting now: for tests and metrics. */
  int waiting() {
    return queue.size();
  }

  private static final class Pending<I, O> {
    final I input;
    final Waiter waiter;
    final CompletableFuture<O> done = new CompletableFuture<>();

    Pending(I input, Waiter waiter) {
      this.input = input;
      this.waiter = waiter;
      waiter.expect();
      done.whenComplete((result, failure) -> waiter.oneDone());
    }
  }

  /** What a caller waits for: the lead, or all of its writes done. */
  private static final class Waiter {
    final CompletableFuture<Boolean> turn = new CompletableFuture<>();
    private final AtomicInteger outstanding = new AtomicInteger();

    void expect() {
      outstanding.incrementAndGet();
    }

    void oneDone() {
      if (outstanding.decrementAndGet() == 0) {
        turn.complete(Boolean.FALSE);
      }
    }

    boolean allDone() {
      return outstanding.get() == 0;
    }

    /**
     * Waits until the caller's writes are all done (false) or the caller is to lead (true). The
     * wait ignores interrupts: a caller that left while handed the lead would leave everyone
     * waiting.
     */
    boolean awaitTurnOrDone() {
      return turn.join();
    }
  }
}
