package org.kabar.server.admin.boundary;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.server.accounts.boundary.Accounts;
import org.kabar.server.accounts.boundary.Registrations;
import org.kabar.server.channels.boundary.Channels;
import org.kabar.server.cluster.boundary.PeerBroadcast;
import org.kabar.server.cluster.boundary.Replication;
import org.kabar.server.cluster.boundary.ServerDirectory;
import org.kabar.server.cluster.boundary.UserReplication;
import org.kabar.server.cluster.entity.ServerEntry;
import org.kabar.server.messaging.boundary.Courier;
import org.kabar.server.messaging.boundary.Mailbox;
import org.kabar.server.node.NodeSettings;
import org.kabar.server.presence.boundary.Caller;
import org.kabar.server.presence.boundary.PresenceChanges;
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

  @Inject Courier courier;

  @EJB Mailbox mailbox;

  @EJB Registrations registrations;

  @EJB PresenceNotices notices;

  @EJB PresenceChanges presence;

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
    presence.changedSoon();
    administrators.record(admin, "deleted user " + username);
    return true;
  }

  /**
   * Disables or enables an account on every server; a disabled account cannot log in and its
   * sessions end.
   *
   * @return whether the account exists
   */
  public boolean changeDisabled(String admin, String username, boolean disabled) {
    boolean changed = users.changeDisabled(username, disabled);
    if (changed) {
      administrators.record(admin, (disabled ? "disabled user " : "enabled user ") + username);
    }
    return changed;
  }

  /**
   * Marks an account renamed by a conflict as settled on this server: the administrator told the
   * person the account's name (or deleted one of the two accounts).
   *
   * @return whether the account exists
   */
  public boolean settleConflict(String admin, String username) {
    boolean settled = accounts.settleConflict(username);
    if (settled) {
      administrators.record(admin, "settled the renamed account " + username);
    }
    return settled;
  }

  /**
   * Gives an account a new password on every server and ends its sessions.
   *
   * @return whether the account exists
   */
  public boolean resetPassword(String admin, String username, String password) {
    boolean changed = users.resetPassword(username, password);
    if (changed) {
      administrators.record(admin, "reset the password of " + username);
    }
    return changed;
  }

  /**
   * Deletes a channel on every server: its members and invitations are gone, its name stays taken.
   *
   * @return whether it had anyone left in it
   */
  public boolean deleteChannel(String admin, String channel) {
    List<String> removed = channels.close(channel);
    if (removed.isEmpty()) {
      return false;
    }
    replication.channelChanged(channel, removed);
    administrators.record(
        admin, "deleted channel " + channel + " (" + removed.size() + " members and invitations)");
    return true;
  }

  /**
   * Sends a notice to every user online on every server: a message from {@code notice}, pushed and
   * acknowledged like any other.
   *
   * @return how many users it went to
   */
  public int sendNotice(String admin, String text) {
    Mailbox.Stored stored = mailbox.notice(text);
    replication.messagesChanged(stored.ids());
    for (int i = 0; i < stored.ids().size(); i++) {
      courier.deliver(stored.recipients().get(i), List.of(stored.ids().get(i)));
    }
    administrators.record(
        admin, "sent a notice to " + stored.ids().size() + " users online: " + text);
    return stored.ids().size();
  }

  /**
   * Approves a registration waiting for an administrator: the entry is created in the directory.
   *
   * @return empty if approved, else why not
   */
  public Optional<ErrorCode> approveRegistration(String admin, String username) {
    Optional<ErrorCode> refused = users.approve(username);
    if (refused.isEmpty()) {
      administrators.record(admin, "approved the registration of " + username);
    }
    return refused;
  }

  /**
   * Rejects a registration waiting for an administrator; the user is told at the next login.
   *
   * @return whether it was waiting
   */
  public boolean rejectRegistration(String admin, String username) {
    boolean rejected = registrations.reject(username, admin);
    if (rejected) {
      administrators.record(admin, "rejected the registration of " + username);
    }
    return rejected;
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
    presence.changedSoon();
    administrators.record(admin, "kicked the session of " + session.username());
    return true;
  }
}
