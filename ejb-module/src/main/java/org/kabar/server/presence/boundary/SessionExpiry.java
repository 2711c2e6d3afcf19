package org.kabar.server.presence.boundary;

import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.kabar.server.cluster.boundary.Replication;
import org.kabar.server.cluster.boundary.ServerDirectory;
import org.kabar.server.messaging.boundary.Courier;
import org.kabar.server.presence.control.SessionCache;

/**
 * Ends sessions silent for longer than {@code kabar.session.timeout.seconds} (Connected = 0): what
 * arrives for them afterwards becomes offline mail.
 *
 * <p>The work is spread, so that it never stands in front of the requests for long: the last-seen
 * times and the expiries are written {@link #CHUNK} sessions to a transaction, with a pause between
 * two chunks, and at most {@link #CHUNKS_PER_PASS} chunks of expiries a pass (the rest wait for the
 * next pass, five seconds later). Expiring 10,000 sessions in one transaction read and locked them
 * all at once.
 */
@Singleton
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class SessionExpiry {

  /** Sessions written or expired in one transaction at most. */
  static final int CHUNK = 500;

  /** Chunks of expiries in one pass at most. */
  static final int CHUNKS_PER_PASS = 20;

  /** The pause between two chunks. */
  static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private static final Logger LOG = Logger.getLogger(SessionExpiry.class.getName());

  /**
   * How long after start the sessions of a node with peers are left alone: the catch-up from the
   * peers comes first.
   */
  private static final Duration STARTUP_GRACE = Duration.ofSeconds(30);

  @EJB Sessions sessions;

  @EJB PresenceNotices notices;

  @EJB PresenceChanges presence;

  @Inject Courier courier;

  @Inject SessionCache cache;

  @Inject
  @ConfigProperty(name = "kabar.session.timeout.seconds", defaultValue = "180")
  int timeoutSeconds;

  @EJB Replication replication;

  @EJB ServerDirectory directory;

  private final Instant started = Instant.now();

  @Schedule(second = "*/5", minute = "*", hour = "*", persistent = false)
  void expire() {
    writeSeen(); // the activity of the last seconds first: it keeps sessions alive
    if (Instant.now().isBefore(started.plus(STARTUP_GRACE)) && !directory.all().isEmpty()) {
      return; // after a restart, peers first say which of our old sessions moved elsewhere
    }
    int expired = 0;
    for (int chunk = 0; chunk < CHUNKS_PER_PASS; chunk++) {
      if (chunk > 0) {
        LockSupport.parkNanos(PAUSE_NANOS);
      }
      List<Caller> ended = sessions.expireSilent(Duration.ofSeconds(timeoutSeconds), CHUNK);
      if (!ended.isEmpty()) {
        replication.sessionsChanged(ended.stream().map(Caller::sessionId).toList());
        for (Caller session : ended) {
          courier.forget(session.username());
          notices.ended(session, "expired");
        }
        expired += ended.size();
      }
      if (ended.size() < CHUNK) {
        break;
      }
    }
    if (expired > 0) {
      int count = expired;
      LOG.info(() -> count + " silent sessions expired");
      presence.changedSoon();
    }
  }

  /** Writes the last-seen times gathered since the last pass, a chunk to a transaction. */
  private void writeSeen() {
    List<Map.Entry<Long, Instant>> seen = new ArrayList<>(cache.drainSeen().entrySet());
    for (int from = 0; from < seen.size(); from += CHUNK) {
      if (from > 0) {
        LockSupport.parkNanos(PAUSE_NANOS);
      }
      List<Map.Entry<Long, Instant>> chunk =
          seen.subList(from, Math.min(seen.size(), from + CHUNK));
      try {
        sessions.writeSeen(chunk);
      } catch (RuntimeException e) {
        // put back, to be written at the next pass (a time never moves back)
        chunk.forEach(entry -> cache.seen(entry.getKey(), entry.getValue()));
        LOG.log(Level.WARNING, chunk.size() + " last-seen times not written; next pass", e);
      }
    }
  }
}
