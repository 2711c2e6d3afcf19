package org.kabar.server.presence.boundary;

import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.kabar.server.cluster.boundary.Replication;
import org.kabar.server.cluster.boundary.ServerDirectory;
import org.kabar.server.messaging.boundary.Courier;

/**
 * Ends sessions silent for longer than {@code kabar.session.timeout.seconds} (Connected = 0): what
 * arrives for them afterwards becomes offline mail.
 */
@Singleton
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class SessionExpiry {

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

  @Inject
  @ConfigProperty(name = "kabar.session.timeout.seconds", defaultValue = "180")
  int timeoutSeconds;

  @EJB Replication replication;

  @EJB ServerDirectory directory;

  private final Instant started = Instant.now();

  @Schedule(second = "*/5", minute = "*", hour = "*", persistent = false)
  void expire() {
    sessions.writeSeen(); // the activity of the last seconds first: it keeps sessions alive
    if (Instant.now().isBefore(started.plus(STARTUP_GRACE)) && !directory.all().isEmpty()) {
      return; // after a restart, peers first say which of our old sessions moved elsewhere
    }
    List<Caller> expired = sessions.expireSilent(Duration.ofSeconds(timeoutSeconds));
    if (expired.isEmpty()) {
      return;
    }
    replication.sessionsChanged(expired.stream().map(Caller::sessionId).toList());
    for (Caller session : expired) {
      courier.forget(session.username());
      notices.ended(session, "expired");
    }
    LOG.info(() -> expired.size() + " silent sessions expired");
    presence.changedSoon();
  }
}
