package org.kabar.server.node;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * Ids that are the same on every server and never collide, and revisions that order updates.
 *
 * <p>An id (of a message or a session) is 41 bits of milliseconds since 2026, this node's number
 * (10 bits) and a counter within the millisecond (12 bits): ids of one node grow with time, ids of
 * two nodes with different numbers never meet, and sorting by id is sorting by time. A clock set
 * back after a restart is caught by starting after the newest id already stored.
 *
 * <p>A revision is a hybrid clock: the current time in milliseconds, or one more than the last
 * revision if that is later. Rows revise themselves to at least one more than their own revision,
 * so an update is always newer than the copy it updates, whichever server's clock was ahead.
 *
 * <p>A CDI bean, not an EJB: every message takes an id and a revision, and its two short locked
 * methods need neither a transaction nor the container's call around them. It reads the newest
 * stored ids when first used.
 */
@ApplicationScoped
public class IdClock {

  private static final Logger LOG = Logger.getLogger(IdClock.class.getName());

  /** The start of id time: 2026-01-01. */
  static final long EPOCH_MILLIS = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

  private static final int COUNTER_BITS = 12;
  private static final int NODE_BITS = 10;
  private static final int MAX_COUNTER = (1 << COUNTER_BITS) - 1;

  @PersistenceContext EntityManager entityManager;

  @Inject NodeSettings settings;

  private int node;
  private long startedAtMillis;
  private long lastMillis;
  private int counter;
  private long lastRevision;

  @PostConstruct
  void start() {
    node = settings.nodeNumber();
    startedAtMillis = System.currentTimeMillis();
    long newest = 0;
    for (String table : new String[] {"MESSAGES", "CONNECTED"}) {
      try {
        Object max =
            entityManager
                .createNativeQuery(
                    "SELECT MAX(ID) FROM " + table + " WHERE MOD(ID / 4096, 1024) = " + node)
                .getSingleResult();
        if (max instanceof Number n) {
          newest = Math.max(newest, n.longValue());
        }
      } catch (PersistenceException e) {
        LOG.warning(() -> "newest id in " + table + " unknown: " + e.getMessage());
      }
    }
    lastMillis = (newest >>> (COUNTER_BITS + NODE_BITS)) + EPOCH_MILLIS;
    counter = (int) (newest & MAX_COUNTER);
    LOG.info(() -> "node " + settings.nodeName() + " has node number " + node);
  }

  /** This node's number, part of every id it makes. */
  public int node() {
    return node;
  }

  /** A new id, unique across the deployment. */
  public synchronized long nextId() {
    long now = System.currentTimeMillis();
    if (now > lastMillis) {
      lastMillis = now;
      counter = 0;
    } else if (counter < MAX_COUNTER) {
      counter++;
    } else {
      lastMillis++; // 4096 ids in one millisecond: borrow the next one
      counter = 0;
    }
    return ((lastMillis - EPOCH_MILLIS) << (COUNTER_BITS + NODE_BITS))
        | ((long) node << COUNTER_BITS)
        | counter;
  }

  /** A revision later than every one this clock gave before. */
  public synchronized long nextRevision() {
    lastRevision = Math.max(System.currentTimeMillis(), lastRevision + 1);
    return lastRevision;
  }

  /**
   * Whether an id (of a session) was made by this node since it started: then every request of that
   * session has passed through this node.
   */
  public boolean madeHereSinceStart(long id) {
    return nodeOf(id) == node && millisOf(id) >= startedAtMillis;
  }

  /** The time inside an id, in milliseconds since 1970. */
  public static long millisOf(long id) {
    return (id >>> (COUNTER_BITS + NODE_BITS)) + EPOCH_MILLIS;
  }

  /** The smallest id any node makes at or after a time: ids from it on are that new or newer. */
  public static long firstIdAt(long epochMillis) {
    return Math.max(0, epochMillis - EPOCH_MILLIS) << (COUNTER_BITS + NODE_BITS);
  }

  /** The node number inside an id. */
  public static int nodeOf(long id) {
    return (int) ((id >>> COUNTER_BITS) & ((1 << NODE_BITS) - 1));
  }
}
