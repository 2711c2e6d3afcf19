package org.kabar.adapter.transport;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.kabar.protocol.peer.PeerFrame;

/**
 * The frames waiting to be written to one peer link, on two lanes: live traffic (copies of what
 * just changed, their acknowledgements, claims, beats) always leaves first; catch-up traffic (what
 * a server that was away missed, the periodic copy) fills the gaps. Both are bounded. A live frame
 * finds room or is refused at once, so no caller ever waits on a slow peer; a catch-up waits for
 * room, up to a limit, so a large catch-up is paced by the peer instead of dropped.
 *
 * <p>The link's writer takes what waits, many frames at a time, and writes them with one flush.
 */
final class Outbox {

  private final int liveCapacity;
  private final int catchUpCapacity;
  private final ArrayDeque<PeerFrame> live = new ArrayDeque<>();
  private final ArrayDeque<PeerFrame> catchUp = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition waiting = lock.newCondition();
  private final Condition room = lock.newCondition();
  private boolean closed;

  Outbox(int liveCapacity, int catchUpCapacity) {
    if (liveCapacity < 1 || catchUpCapacity < 1) {
      throw new IllegalArgumentException("an outbox holds at least one frame on each lane");
    }
    this.liveCapacity = liveCapacity;
    this.catchUpCapacity = catchUpCapacity;
  }

  /**
   * Queues frames on the live lane, all or none.
   *
   * @return false if the lane has no room for all of them, or the link is closed
   */
  boolean offerLive(List<? extends PeerFrame> frames) {
    lock.lock();
    try {
      if (closed || live.size() + frames.size() > liveCapacity) {
        return false;
      }
      live.addAll(frames);
      waiting.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues frames on the catch-up lane, waiting for room as the writer empties it.
   *
   * @return false if there was no room within the time given, or the link is closed
   */
  boolean putCatchUp(List<? extends PeerFrame> frames, long timeoutMillis)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    lock.lock();
    try {
      for (PeerFrame frame : frames) {
        while (!closed && catchUp.size() >= catchUpCapacity) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          room.awaitNanos(left);
        }
        if (closed) {
          return false;
        }
        catchUp.add(frame);
        waiting.signal();
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes up to {@code most} frames, live ones first, waiting until there is at least one.
   *
   * @return the frames, or an empty list once the outbox is closed
   */
  List<PeerFrame> take(int most) throws InterruptedException {
    lock.lock();
    try {
      while (!closed && live.isEmpty() && catchUp.isEmpty()) {
        waiting.await();
      }
      List<PeerFrame> taken = new ArrayList<>(Math.min(most, live.size() + catchUp.size()));
      if (closed) {
        return taken;
      }
      while (taken.size() < most && !live.isEmpty()) {
        taken.add(live.poll());
      }
      boolean tookCatchUp = false;
      while (taken.size() < most && !catchUp.isEmpty()) {
        taken.add(catchUp.poll());
        tookCatchUp = true;
      }
      if (tookCatchUp) {
        room.signalAll();
      }
      return taken;
    } finally {
      lock.unlock();
    }
  }

  /** Frames waiting on both lanes. */
  int depth() {
    lock.lock();
    try {
      return live.size() + catchUp.size();
    } finally {
      lock.unlock();
    }
  }

  /** Drops what waits and refuses more; a writer waiting in {@link #take} returns empty. */
  void close() {
    lock.lock();
    try {
      closed = true;
      live.clear();
      catchUp.clear();
      waiting.signalAll();
      room.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
