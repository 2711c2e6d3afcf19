package org.kabar.server.admin.boundary;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.kabar.server.accounts.boundary.Accounts;
import org.kabar.server.channels.boundary.Channels;
import org.kabar.server.cluster.boundary.PeerBroadcast;
import org.kabar.server.cluster.boundary.Replication;
import org.kabar.server.cluster.boundary.ServerDirectory;
import org.kabar.server.cluster.boundary.UserReplication;
import org.kabar.server.cluster.entity.ServerEntry;
import org.kabar.server.messaging.boundary.Courier;
import org.kabar.server.node.NodeSettings;
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

  @EJB Accounts accounts;

  @EJB Channels channels;

  @EJB UserReplication users;

  @EJB ServerDirectory directory;

  @EJB PeerBroadcast peers;

  @Inject NodeSettings settings;

  /**
   * Deletes an account everywhere: its sessions end (the clients are told), its inbox and channel
   * places go, and every server removes it too.
   *
   * @return whether the account existed
   */
  public boolean deleteUser(String admin, String username) {
    if (!accounts.exists(username)) {
      return false;
    }
    for (Sessions.SessionView session : sessions.connectedSessions()) {
      if (session.user().equals(username)) {
        sessions.kick(session.id()).ifPresent(caller -> notices.ended(caller, "removed"));
        replication.sessionsChanged(List.of(session.id()));
      }
    }
    courier.forget(username);
    accounts.remove(username);
    channels.forget(username);
    users.removed(username);
    notices.onlineChanged();
    administrators.record(admin, "deleted user " + username);
    return true;
  }

  /** Changes this node's quota of logged-in users until it restarts (seed S3.5). */
  public void changeQuota(String admin, int users) {
    int before = settings.quota();
    settings.changeQuota(users);
    administrators.record(admin, "changed the quota from " + before + " to " + users);
  }

  /** Adds a server to the list (seed S3.1: an administrator gives the list); checked at once. */
  public void addServer(String admin, String host, int port) {
    directory.add(host, port);
    administrators.record(admin, "added server " + host + ":" + port);
  }

  /**
   * Pings a listed server now; its round trip and state update when it answers.
   *
   * @return false if it does not take a connection (it is then marked inactive)
   */
  public boolean ping(String admin, String host, int port) {
    for (ServerEntry server : directory.all()) {
      if (server.address().equals(host) && server.port() == port) {
        administrators.record(admin, "pinged server " + host + ":" + port);
        return peers.reachable(server);
      }
    }
    return false;
  }

  /** Removes a server from this node's list (it is added again if it announces itself). */
  public boolean removeServer(String admin, String host, int port) {
    boolean removed = directory.remove(host, port);
    if (removed) {
      administrators.record(admin, "removed server " + host + ":" + port);
    }
    return removed;
  }

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
