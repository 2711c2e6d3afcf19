package org.kabar.server.cluster.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.kabar.server.node.AfterTransaction;

/**
 * The active servers, nearest first, as last read from the ServerList table: every message and
 * every acknowledgement is sent to them, and reading the table for each cost a query per update.
 * The list is read again after a second, and at once after this server changes the table (a server
 * added, removed, heard from or unreachable). A change made by another server sharing the database
 * is seen within the second; the periodic copy covers an update sent meanwhile.
 */
@ApplicationScoped
public class ActivePeers {

  /** How long a list read from the table is used. */
  static final long FRESH_NANOS = 1_000_000_000L;

  /** An active server: where to reach it, and the node name it announced (null until then). */
  public record Peer(String address, int port, String node) {}

  private record Snapshot(List<Peer> peers, long readAt) {}

  private volatile Snapshot snapshot;

  private final AtomicLong changes = new AtomicLong();

  /** The list, read with {@code query} if the last one is older than a second or was changed. */
  public List<Peer> get(Supplier<List<Peer>> query) {
    long now = System.nanoTime();
    Snapshot last = snapshot;
    if (last != null && now - last.readAt() < FRESH_NANOS) {
      return last.peers();
    }
    long before = changes.get();
    List<Peer> peers = List.copyOf(query.get());
    if (changes.get() == before) {
      snapshot = new Snapshot(peers, now); // not if a change raced with the read
    }
    return peers;
  }

  /**
   * Whether the list read within the last second names no server but this one ({@code self}): then
   * an update has nowhere to go, and the caller need not even hand it to the replication. False
   * when the list is older or unread (the replication reads it again).
   */
  public boolean aloneLately(Predicate<Peer> self) {
    Snapshot last = snapshot;
    return last != null
        && System.nanoTime() - last.readAt() < FRESH_NANOS
        && last.peers().stream().allMatch(self);
  }

  @Resource TransactionSynchronizationRegistry transactions;

  /**
   * This server changed the table: the next use reads it again, and so does the first use after the
   * change's transaction has ended (a read between the change and its commit still saw the old
   * rows).
   */
  public void changed() {
    forget();
    AfterTransaction.run(transactions, this::forget);
  }

  private void forget() {
    changes.incrementAndGet();
    snapshot = null;
  }
}
