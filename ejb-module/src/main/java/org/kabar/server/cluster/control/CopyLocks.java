package org.kabar.server.cluster.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serialises the merges of copies of one row on this server. A copy usually arrives more than once
 * (from its own server and passed on by another, seed S3.8), and two threads merging the same new
 * row at once made the second insert fail on the primary key: an exception, its logged stack trace
 * and a retry for every such pair. Rows are spread over a fixed set of locks by id, so merges of
 * different rows rarely wait for each other.
 */
@ApplicationScoped
public class CopyLocks {

  private static final int STRIPES = 64;

  private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

  public CopyLocks() {
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new ReentrantLock();
    }
  }

  /** Runs the merge of the row with this id while no other merge of it runs here. */
  public <T> T merging(long id, Supplier<T> merge) {
    ReentrantLock lock = stripes[Math.floorMod(Long.hashCode(id), STRIPES)];
    lock.lock();
    try {
      return merge.get();
    } finally {
      lock.unlock();
    }
  }
}
