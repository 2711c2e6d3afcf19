package org.kabar.adapter.inbound;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.kabar.adapter.api.AdapterStatus.QueueStatus;

/**
 * The bounded queue between a socket reader and the message-driven bean that handles what it reads.
 * Workers take items and deliver them in batches: a worker takes what waits, up to the batch size,
 * and hands it to the bean in one delivery (so an idle node delivers one item at a time, a busy one
 * hundreds); while no bean is activated, items wait. When the queue is full the reader waits a
 * little (the socket's receive buffer absorbs the burst), and only then drops the item, counting
 * it.
 *
 * @param <T> the inbound record type
 */
public final class InboundQueue<T> {

  private static final Logger LOG = Logger.getLogger(InboundQueue.class.getName());
  private static final long POLL_MILLIS = 200;

  /** The largest batch a queue may be given. */
  public static final int MOST_BATCH = 4096;

  private final String name;
  private final BlockingQueue<T> queue;
  private final int capacity;
  private final long offerWaitMillis;
  private final int maxBatch;
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong shed = new AtomicLong();
  private volatile Predicate<T> answeredHere;
  private final Object targetLock = new Object();
  private EndpointInvoker<List<T>> target;
  private volatile boolean running = true;

  /**
   * @param name names the queue in logs
   * @param capacity the most items waiting at once
   * @param offerWaitMillis how long the reader waits for room before dropping an item
   * @param maxBatch the most items one delivery takes
   */
  public InboundQueue(String name, int capacity, long offerWaitMillis, int maxBatch) {
    if (capacity < 1) {
      throw new IllegalArgumentException("queue capacity must be at least 1, was " + capacity);
    }
    if (maxBatch < 1 || maxBatch > MOST_BATCH) {
      throw new IllegalArgumentException(
          "a batch holds 1 to " + MOST_BATCH + " items, was " + maxBatch);
    }
    this.maxBatch = maxBatch;
    this.name = name;
    this.capacity = capacity;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.offerWaitMillis = offerWaitMillis;
  }

  /**
   * Queues an item, waiting up to the configured time for room.
   *
   * @return false if the item was dropped because the queue stayed full or the queue is stopped
   */
  public boolean offer(T item) throws InterruptedException {
    received.incrementAndGet();
    if (running && queue.offer(item, offerWaitMillis, TimeUnit.MILLISECONDS)) {
      return true;
    }
    long total = dropped.incrementAndGet();
    if (Long.bitCount(total) == 1) { // log at 1, 2, 4, 8, ... so a flood cannot flood the log
      LOG.warning(() -> name + " queue full: " + total + " items dropped so far");
    }
    return false;
  }

  /**
   * Lets workers answer some items themselves as they take them (load shedding): an item the
   * predicate answered is counted as shed and not delivered.
   */
  public void answerHere(Predicate<T> answered) {
    this.answeredHere = answered;
  }

  /** Makes the given bean the receiver of this queue's items. */
  public void attach(EndpointInvoker<List<T>> invoker) {
    synchronized (targetLock) {
      target = invoker;
      targetLock.notifyAll();
    }
  }

  /** Stops delivering to the given bean; items wait until another is attached. */
  public void detach(EndpointInvoker<List<T>> invoker) {
    synchronized (targetLock) {
      if (target == invoker) {
        target = null;
      }
    }
  }

  /** The loop one worker runs until {@link #stop()}; run several for concurrent delivery. */
  public void work() {
    List<T> taken = new ArrayList<>(Math.min(maxBatch, 64));
    while (running) {
      try {
        EndpointInvoker<List<T>> invoker = awaitTarget();
        if (invoker == null) {
          continue;
        }
        T first = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        taken.add(first);
        queue.drainTo(taken, maxBatch - 1);
        List<T> batch = withoutShed(taken);
        taken.clear();
        if (!batch.isEmpty()) {
          deliver(invoker, batch);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The items taken, less those the shedding answered here; a copy, handed to the bean. */
  private List<T> withoutShed(List<T> taken) {
    Predicate<T> here = answeredHere;
    List<T> batch = new ArrayList<>(taken.size());
    for (T item : taken) {
      if (here != null && here.test(item)) {
        shed.incrementAndGet();
      } else {
        batch.add(item);
      }
    }
    return batch;
  }

  private void deliver(EndpointInvoker<List<T>> invoker, List<T> batch)
      throws InterruptedException {
    try {
      invoker.deliver(batch, () -> running);
      delivered.addAndGet(batch.size());
    } catch (RuntimeException | jakarta.resource.ResourceException e) {
      failed.addAndGet(batch.size());
      LOG.log(Level.WARNING, name + " delivery failed for " + batch.size() + " items", e);
    }
  }

  private EndpointInvoker<List<T>> awaitTarget() throws InterruptedException {
    synchronized (targetLock) {
      if (target == null && running) {
        targetLock.wait(POLL_MILLIS);
      }
      return target;
    }
  }

  /** Stops the workers; items still queued are counted as dropped. */
  public void stop() {
    running = false;
    dropped.addAndGet(queue.size());
    queue.clear();
    synchronized (targetLock) {
      targetLock.notifyAll();
    }
  }

  /** The queue's counters now. */
  public QueueStatus status() {
    boolean active;
    synchronized (targetLock) {
      active = target != null;
    }
    return new QueueStatus(
        received.get(),
        delivered.get(),
        dropped.get(),
        failed.get(),
        shed.get(),
        queue.size(),
        capacity,
        active);
  }
}
