package org.kabar.server.presence.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.kabar.server.node.AfterTransaction;
import org.kabar.server.node.NodeSettings;

/**
 * The sessions this server serves, as last read from the Connected table, so that a request's token
 * and a push's recipient are found without a query: by token hash (every request) and by username
 * (every push). Reading them took a query per datagram, the largest single cost of a message.
 *
 * <p>Correctness rests on one rule: whatever ends, replaces, moves or takes away a session calls
 * {@link #changed()}, which forgets everything, now and again once its transaction has ended; the
 * expiry, which only ends sessions, calls {@link #ended} for those alone. An entry remembered from
 * a read that started before a change is never used: each carries the generation it was read at,
 * and only entries of the current generation count. Following a client to a new address goes
 * through the table at once and updates the entry.
 *
 * <p>Last-seen times are gathered here too ({@link #seen}) and written in one transaction every few
 * seconds, before the expiry check reads them, instead of one update per request.
 *
 * <p>With a database shared by several servers (Derby Network Server), another server can change a
 * session without this one knowing, so the cache is off there.
 */
@ApplicationScoped
public class SessionCache {

  /** A session served here: its id, user and client address, and when its row was last touched. */
  public record Entry(
      long sessionId, String username, InetSocketAddress client, Instant touchedAt, long read) {}

  private final AtomicLong generation = new AtomicLong();

  private final Map<String, Entry> byTokenHash = new ConcurrentHashMap<>();

  private final Map<String, Entry> byUsername = new ConcurrentHashMap<>();

  private final Map<Long, Instant> seen = new ConcurrentHashMap<>();

  /** Sessions ended lately by {@link #ended}, never remembered again: when each was ended. */
  private final Map<Long, Long> endedAtNanos = new ConcurrentHashMap<>();

  /** How long an ended session is kept from being remembered: far longer than any read. */
  static final long ENDED_KEPT_NANOS = 60_000_000_000L;

  /** How long a count of the sessions here stands in for a new one, far below the quota. */
  static final long COUNT_FRESH_NANOS = 1_000_000_000L;

  private final AtomicLong countedHere = new AtomicLong();

  private volatile long countedAt = System.nanoTime() - 2 * COUNT_FRESH_NANOS;

  @Resource TransactionSynchronizationRegistry transactions;

  @Inject NodeSettings settings;

  /** The generation to pass to {@code remember} for what is read from the table from now on. */
  public long generation() {
    return generation.get();
  }

  /** The session holding the token with this hash, if remembered. */
  public Optional<Entry> byTokenHash(String tokenHash) {
    return current(byTokenHash.get(tokenHash));
  }

  /**
   * The session holding the token with this hash, if remembered and the request comes from the
   * address it was last seen at: a request served from memory alone. Its last-seen time is noted
   * (written later with the others', see {@link #seen}) once the remembered one is older than
   * {@code touchEvery}.
   */
  public Optional<Entry> served(
      String tokenHash, InetSocketAddress from, Instant now, Duration touchEvery) {
    Optional<Entry> cached = byTokenHash(tokenHash);
    if (cached.isEmpty() || !cached.get().client().equals(from)) {
      return Optional.empty();
    }
    Entry entry = cached.get();
    if (entry.touchedAt().isBefore(now.minus(touchEvery))) {
      seen(entry.sessionId(), now);
      remember(tokenHash, new Entry(entry.sessionId(), entry.username(), from, now, entry.read()));
    }
    return cached;
  }

  /** The user's session on this server, if remembered. */
  public Optional<Entry> byUsername(String username) {
    return current(byUsername.get(username));
  }

  private Optional<Entry> current(Entry entry) {
    return entry != null && entry.read() == generation.get()
        ? Optional.of(entry)
        : Optional.empty();
  }

  /**
   * Remembers a connected session of this server, read from the table at the given generation
   * (nothing is remembered if a change came in between).
   *
   * @param tokenHash its token's hash, or null if only the user's session was looked up
   */
  public void remember(String tokenHash, Entry entry) {
    if (!settings.embeddedDatabase()
        || entry.read() != generation.get()
        || endedAtNanos.containsKey(entry.sessionId())) {
      return;
    }
    if (tokenHash != null) {
      byTokenHash.put(tokenHash, entry);
    }
    byUsername.put(entry.username(), entry);
  }

  /**
   * A session ended, was replaced, moved to another server or was taken from this one: everything
   * remembered is forgotten, now and when the current transaction (if any) has ended, so that a
   * read racing with the change is not remembered either.
   */
  public void changed() {
    forget();
    AfterTransaction.run(transactions, this::forget);
  }

  /**
   * These sessions ended (the expiry): only they are forgotten, now and when the current
   * transaction (if any) has ended, and none of them is remembered again from a read that raced
   * with the change. Forgetting everything at each expiry sent every session's next request to the
   * table: with thousands expiring every few seconds, the chat stalled for hundreds of milliseconds
   * at each pass.
   */
  public void ended(Collection<Long> sessionIds) {
    if (sessionIds.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    endedAtNanos.values().removeIf(at -> now - at > ENDED_KEPT_NANOS);
    Set<Long> ids = Set.copyOf(sessionIds);
    ids.forEach(id -> endedAtNanos.put(id, now));
    Runnable forget =
        () -> {
          byTokenHash.values().removeIf(entry -> ids.contains(entry.sessionId()));
          byUsername.values().removeIf(entry -> ids.contains(entry.sessionId()));
        };
    forget.run();
    AfterTransaction.run(transactions, forget);
  }

  /**
   * A session was heard from: its last-seen time is written with the others' at the next flush
   * ({@link #drainSeen()}), not one update per request.
   */
  public void seen(long sessionId, Instant at) {
    seen.merge(sessionId, at, (a, b) -> a.isAfter(b) ? a : b);
  }

  /** The last-seen times recorded since the last call, to write to the table now. */
  public Map<Long, Instant> drainSeen() {
    Map<Long, Instant> drained = new HashMap<>();
    for (Long id : seen.keySet()) {
      Instant at = seen.remove(id);
      if (at != null) {
        drained.put(id, at);
      }
    }
    return drained;
  }

  /**
   * The number of sessions connected here, counted less than a second ago and raised by each login
   * since, or -1 if there is no such count: enough to tell that a login is far below the quota
   * without counting thousands of rows at every login of a storm. It only errs high (sessions that
   * ended since are still in it), and a change of sessions makes the next login count again.
   */
  public long sessionsHereAtMost() {
    return System.nanoTime() - countedAt < COUNT_FRESH_NANOS ? countedHere.get() : -1;
  }

  /** The sessions here were just counted. */
  public void countedHere(long count) {
    countedHere.set(count);
    countedAt = System.nanoTime();
  }

  /** A session was just opened here. */
  public void loggedInHere() {
    countedHere.incrementAndGet();
  }

  private void forget() {
    countedAt = System.nanoTime() - 2 * COUNT_FRESH_NANOS;
    generation.incrementAndGet();
    byTokenHash.clear();
    byUsername.clear();
  }
}
