package org.kabar.server.messaging.control;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The duplicate check of {@code SEND}: which messages each session's recent requests stored, by
 * session and sequence number, in memory, so that the Messages table needs no index for it (an
 * index costs every message an update; this check costs a map lookup).
 *
 * <p>It holds each stored request for {@link #KEEP}, longer than a client retransmits (about 45 s),
 * and at most {@link #PER_SESSION} per session. It learns of a request once its transaction has
 * committed, from this node's writes and from the copies other servers send; when the node starts,
 * it is filled from the rows of the last {@link #KEEP} ({@link #loaded}), so a request
 * retransmitted across a crash and restart still finds what it stored. Until then, lookups wait.
 *
 * <p>On a database shared with other nodes, another node may have stored a request whose copy has
 * not reached this one yet: {@link #unfamiliar} says when the table must be asked as well.
 */
@ApplicationScoped
public class StoredRequests {

  private static final Logger LOG = Logger.getLogger(StoredRequests.class.getName());

  /** How long a stored request is remembered: longer than a client retransmits. */
  public static final Duration KEEP = Duration.ofSeconds(90);

  /** Requests remembered per session at most: the newest. */
  static final int PER_SESSION = 4096;

  /** How long a lookup waits for the start's rows before it goes on without them. */
  static final long LOAD_WAIT_SECONDS = 120;

  /** The clock, in nanoseconds: replaced in tests. */
  Ticker ticker = Ticker.systemTicker();

  private final Cache<Long, SessionRequests> sessions =
      Caffeine.newBuilder()
          .expireAfterAccess(KEEP)
          .maximumSize(200_000)
          .ticker(() -> ticker.read())
          .build();

  private final CountDownLatch loaded = new CountDownLatch(1);

  /**
   * The ids a session's request stored, oldest first, if it stored any lately.
   *
   * @return empty if this node knows of no such request
   */
  public Optional<long[]> find(long session, long seq) {
    awaitLoaded();
    SessionRequests requests = sessions.getIfPresent(session);
    return requests == null ? Optional.empty() : requests.find(seq, ticker.read());
  }

  /** A request stored a message (its transaction committed): remembered with its other ones. */
  public void stored(long session, long seq, long id) {
    if (session == 0) {
      return; // the console's notices: no request to retransmit
    }
    long now = ticker.read();
    sessions.get(session, s -> new SessionRequests(now)).add(seq, id, now);
  }

  /**
   * Whether this node may not know all of a session's recent requests: it has heard of the session
   * for less than {@link #KEEP}, and the session did not begin on it since it started (then every
   * request passed here). Only a node sharing its database needs to ask: elsewhere, every request
   * stored reaches this memory, here or as a copy.
   *
   * @param bornHere whether the session began on this node since it started
   */
  public boolean unfamiliar(long session, boolean bornHere) {
    if (bornHere) {
      return false;
    }
    long now = ticker.read();
    SessionRequests requests = sessions.get(session, s -> new SessionRequests(now));
    return now - requests.since < KEEP.toNanos();
  }

  /** The rows of the last {@link #KEEP} are in: lookups go ahead. */
  public void loaded() {
    loaded.countDown();
  }

  private void awaitLoaded() {
    if (loaded.getCount() == 0) {
      return;
    }
    try {
      if (!loaded.await(LOAD_WAIT_SECONDS, TimeUnit.SECONDS)) {
        LOG.warning("the recent requests were not loaded in time: the duplicate check goes on");
        loaded.countDown();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Requests remembered now, about: for tests. */
  long size() {
    sessions.cleanUp();
    return sessions.asMap().values().stream().mapToLong(SessionRequests::size).sum();
  }

  /** One session's recent requests, oldest first. */
  private static final class SessionRequests {
    final long since;
    private final LinkedHashMap<Long, Entry> bySeq = new LinkedHashMap<>();

    SessionRequests(long since) {
      this.since = since;
    }

    synchronized Optional<long[]> find(long seq, long now) {
      Entry entry = bySeq.get(seq);
      return entry == null || now - entry.at > KEEP.toNanos()
          ? Optional.empty()
          : Optional.of(entry.ids.clone());
    }

    synchronized void add(long seq, long id, long now) {
      Entry entry = bySeq.get(seq);
      if (entry == null) {
        bySeq.put(seq, new Entry(new long[] {id}, now));
      } else if (Arrays.binarySearch(entry.ids, id) < 0) {
        long[] ids = Arrays.copyOf(entry.ids, entry.ids.length + 1);
        ids[ids.length - 1] = id;
        Arrays.sort(ids);
        entry.ids = ids;
      }
      // the oldest leave first: by count, and by age once newer ones come
      Iterator<Map.Entry<Long, Entry>> oldest = bySeq.entrySet().iterator();
      while (oldest.hasNext()) {
        Map.Entry<Long, Entry> first = oldest.next();
        if (bySeq.size() <= PER_SESSION && now - first.getValue().at <= KEEP.toNanos()) {
          break;
        }
        oldest.remove();
      }
    }

    synchronized int size() {
      return bySeq.size();
    }
  }

  private static final class Entry {
    long[] ids;
    final long at;

    Entry(long[] ids, long at) {
      this.ids = ids;
      this.at = at;
    }
  }
}
