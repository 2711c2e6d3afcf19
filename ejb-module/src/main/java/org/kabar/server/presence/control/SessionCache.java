package org.kabar.server.presence.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.kabar.server.node.NodeSettings;

/**
 * The sessions this server serves, as last read from the Connected table, so that a request's token
 * and a push's recipient are found without a query: by token hash (every request) and by username
 * (every push). Reading them took a query per datagram, the largest single cost of a message.
 *
 * <p>Correctness rests on one rule: whatever ends, replaces, moves or takes away a session calls
 * {@link #changed()}, which forgets everything, now and again once its transaction has ended. An
 * entry remembered from a read that started before a change is never used: each carries the
 * generation it was read at, and only entries of the current generation count. Refreshing the
 * last-seen time and following a client to a new address go through the table as before and update
 * the entry.
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
    if (!settings.embeddedDatabase() || entry.read() != generation.get()) {
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
    if (transactions != null && transactions.getTransactionStatus() == Status.STATUS_ACTIVE) {
      transactions.registerInterposedSynchronization(
          new Synchronization() {
            @Override
            public void beforeCompletion() {
              // nothing: only the end matters
            }

            @Override
            public void afterCompletion(int status) {
              forget();
            }
          });
    }
  }

  private void forget() {
    generation.incrementAndGet();
    byTokenHash.clear();
    byUsername.clear();
  }
}
