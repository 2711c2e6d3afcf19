package org.kabar.server.admin.boundary;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.util.List;
import java.util.Optional;
import org.kabar.server.cluster.boundary.Replication;
import org.kabar.server.messaging.boundary.Courier;
import org.kabar.server.presence.boundary.Caller;
import org.kabar.server.presence.boundary.PresenceNotices;
import org.kabar.server.presence.boundary.Sessions;

/**
 * The operator's actions from the web console, each written to the audit log. The console reads
 * through the components it shows; what it changes goes through here.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Console {

  @EJB Sessions sessions;

  @EJB Replication replication;

  @EJB Courier courier;

  @EJB PresenceNotices notices;

  @EJB Administrators administrators;

  /**
   * Ends a session: the client is told ({@code BYE kicked}), every server learns it, and what
   * arrives for the user waits as offline mail.
   *
   * @return whether the session was connected
   */
  public boolean kick(String admin, long sessionId) {
    Optional<Caller> kicked = sessions.kick(sessionId);
    if (kicked.isEmpty()) {
      return false;
    }
    Caller session = kicked.get();
    replication.sessionsChanged(List.of(sessionId));
    courier.forget(session.username());
    notices.ended(session, "kicked");
    notices.onlineChanged();
    administrators.record(admin, "kicked the session of " + session.username());
    return true;
  }
}
