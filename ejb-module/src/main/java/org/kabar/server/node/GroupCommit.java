package org.kabar.server.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Gathers the writes that arrive together from many threads and runs them as one batch, so that
 * they share one transaction and one durable commit instead of each paying for its own. Each caller
 * still returns only once its own write has been committed: durability is unchanged.
 *
 * <p>No thread of its own: the first caller to find no batch running becomes the <em>leader</em>.
 * It takes what is queued (its own write among it, at most {@code maxBatch} at a time), runs it,
 * hands each caller its result, and once its own write is done passes the lead to the oldest caller
 * still waiting. Everyone else waits for either its result or the lead. So a write waits at most
 * for the batch running when it arrived, and a leader never serves others indefinitely.
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
  private final AtomicBoolean leading = new AtomicBoolean();

  /**
   * @param batch runs several writes in one transaction; returns one result per write, in order
   * @param single runs one write in a transaction of its own
   * @param maxBatch the most writes in one batch
   */
  public GroupCommit(Function<List<I>, List<O>> batch, Function<I, O> single, int maxBatch) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("a batch holds at least 1 write, was " + maxBatch);
    }
    this.batch = Objects.requireNonNull(batch);
    this.single = Objects.requireNonNull(single);
    this.maxBatch = maxBatch;
  }

  /**
   * Runs one write, with whatever other writes are waiting, and returns its result once committed.
   *
   * @throws RuntimeException what the write threw when run alone
   */
  public O run(I input) {
    Pending<I, O> mine = new Pending<>(input);
    queue.add(mine);
    if (!leading.compareAndSet(false, true) && !mine.awaitTurnOrResult()) {
      return mine.result();
    }
    try {
      while (!mine.done.isDone()) {
        runBatch(drain());
      }
    } finally {
      handOver();
    }
    return mine.result();
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

  /** Gives the lead to the oldest waiting caller, or gives it up if none waits. */
  private void handOver() {
    while (true) {
      Pending<I, O> next = queue.peek();
      if (next != null) {
        next.turn.complete(Boolean.TRUE); // only the leader takes from the queue: it still waits
        return;
      }
      leading.set(false);
      if (queue.isEmpty() || !leading.compareAndSet(false, true)) {
        return; // a caller that arrives now finds no leader and leads itself
      }
    }
  }

  /** Writes waiting now: for tests and metrics. */
  int waiting() {
    return queue.size();
  }

  private static final class Pending<I, O> {
    final I input;
    final CompletableFuture<O> done = new CompletableFuture<>();
    final CompletableFuture<Boolean> turn = new CompletableFuture<>();

    Pending(I input) {
      this.input = input;
      done.whenComplete((result, failure) -> turn.complete(Boolean.FALSE));
    }

    /**
     * Waits until this write is done (false) or its caller is to lead (true). The wait ignores
     * interrupts: a caller that left while handed the lead would leave everyone waiting.
     */
    boolean awaitTurnOrResult() {
      return turn.join();
    }

    O result() {
      try {
        return done.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException runtime) {
          throw runtime;
        }
        throw e;
      }
    }
  }
}
