package org.kabar.server.presence.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * The list of who is online as last read, reused for up to a second once many users are online.
 * Reading it sorts every connected session, and every login (its reply lists who is online), every
 * {@code LIST} and every {@code ONLINE} notice asks for it: in a storm of 10,000 logins two thirds
 * of the node's time went to this one read. Below {@link #EXACT_BELOW} users online it is read
 * afresh each time, so a small deployment sees every login at once; above, a list at most a second
 * old stands in, and while one caller reads a new one the others take the last.
 */
@ApplicationScoped
public class OnlineSnapshot {

  /** Below this many users online, the list is always read afresh. */
  public static final long EXACT_BELOW = 1_000;

  /** How long a list stands in for a new one. */
  static final long FRESH_NANOS = 1_000_000_000L;

  /** The first names in order (as many as asked for) and how many are online in all. */
  public record Names(List<String> first, long total) {
    public Names {
      first = List.copyOf(first);
    }
  }

  private record Taken(int limit, Names names, long atNanos) {}

  private final LongSupplier clock;
  private final AtomicBoolean reading = new AtomicBoolean();
  private volatile Taken last;

  public OnlineSnapshot() {
    this(System::nanoTime);
  }

  OnlineSnapshot(LongSupplier clock) {
    this.clock = clock;
  }

  /**
   * The last list, if it may stand in for a new one of at most {@code limit} names; null if the
   * caller is to read the list and hand it to {@link #taken} (or call {@link #failed}).
   */
  public Names reuse(int limit) {
    Taken taken = last;
    if (taken == null || taken.limit() != limit || taken.names().total() < EXACT_BELOW) {
      return null;
    }
    if (clock.getAsLong() - taken.atNanos() < FRESH_NANOS) {
      return taken.names();
    }
    // stale: one caller reads a new list, the others meanwhile take this one
    return reading.compareAndSet(false, true) ? null : taken.names();
  }

  /** A list just read. */
  public void taken(int limit, Names names) {
    last = new Taken(limit, names, clock.getAsLong());
    reading.set(false);
  }

  /** Reading the list failed: the next caller tries. */
  public void failed() {
    reading.set(false);
  }
}
