package org.kabar.server.cluster.boundary;

import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.protocol.peer.UserRecord;
import org.kabar.protocol.peer.UserRemoved;
import org.kabar.server.accounts.boundary.Accounts;
import org.kabar.server.accounts.entity.UserAccount;
import org.kabar.server.messaging.boundary.Courier;
import org.kabar.server.node.IdClock;
import org.kabar.server.presence.boundary.Caller;
import org.kabar.server.presence.boundary.PresenceNotices;
import org.kabar.server.presence.boundary.Sessions;

/**
 * Registration and account changes across the deployment (seed S3.2): a name is claimed on every
 * active server before it is registered here, and the account (its password hash, never the
 * password) is sent at once to every active server, at registration and again whenever an
 * administrator disables, enables or resets it. The newest revision of an account wins everywhere.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class UserReplication {

  @EJB Accounts accounts;

  @EJB NameClaims claims;

  @EJB PeerBroadcast peers;

  @EJB Sessions sessions;

  @EJB PresenceNotices notices;

  @EJB Replication replication;

  @EJB Courier courier;

  @EJB IdClock clock;

  /**
   * Registers a user if no server has the name, then tells every active server.
   *
   * @return empty on success, else why not
   */
  public Optional<ErrorCode> register(String username, String password) {
    if (accounts.exists(username)) {
      return Optional.of(ErrorCode.NAME_TAKEN);
    }
    Optional<ErrorCode> refused = claims.claimEverywhere(username);
    if (refused.isPresent()) {
      return refused;
    }
    try {
      Optional<ErrorCode> local = accounts.register(username, password);
      if (local.isPresent()) {
        return local;
      }
    } finally {
      claims.release(username);
    }
    peers.toActivePeers(copyOf(accounts.account(username).orElseThrow()));
    return Optional.empty();
  }

  /**
   * Disables or enables an account on every server; disabling ends its sessions (the clients are
   * told {@code BYE disabled}).
   *
   * @return false if there is no such account
   */
  public boolean changeDisabled(String username, boolean disabled) {
    Optional<UserAccount> account =
        accounts.changeDisabled(username, disabled, clock.nextRevision());
    account.ifPresent(
        changed -> {
          if (disabled) {
            endSessionsHere(username, "disabled");
          }
          peers.toActivePeers(copyOf(changed));
        });
    return account.isPresent();
  }

  /**
   * Gives an account a new password on every server and ends its sessions (the clients are told
   * {@code BYE password-reset}), so whoever held the old password is out.
   *
   * @return false if there is no such account
   */
  public boolean resetPassword(String username, String password) {
    Optional<UserAccount> account =
        accounts.resetPassword(username, password, clock.nextRevision());
    account.ifPresent(
        changed -> {
          endSessionsHere(username, "password-reset");
          peers.toActivePeers(copyOf(changed));
        });
    return account.isPresent();
  }

  /**
   * An account from another server: stored if new; if newer than the one here, its hash and state
   * are taken, and the user's sessions on this server end when it was disabled or its password
   * reset.
   */
  public void onUser(UserRecord copy) {
    String before = accounts.account(copy.name()).map(UserAccount::passwordHash).orElse(null);
    Accounts.Merge merge;
    try {
      merge = merge(copy);
    } catch (EJBException twoCopiesAtOnce) {
      merge = merge(copy);
    }
    claims.release(copy.name());
    if (merge == Accounts.Merge.CHANGED) {
      if (copy.disabled()) {
        endSessionsHere(copy.name(), "disabled");
      } else if (!copy.passwordHash().equals(before)) {
        endSessionsHere(copy.name(), "password-reset");
      }
    }
  }

  private Accounts.Merge merge(UserRecord copy) {
    return accounts.mergeCopy(
        copy.name(),
        copy.passwordHash(),
        Instant.ofEpochMilli(copy.createdAtMillis()),
        copy.revision(),
        copy.disabled());
  }

  /** Tells every active server that an account was removed here. */
  public void removed(String username) {
    peers.toActivePeers(new UserRemoved(username));
  }

  /**
   * Ends every session of a user connected to this server: the client is told why, every server
   * learns it, and what arrives for the user waits as offline mail.
   */
  public void endSessionsHere(String username, String reason) {
    List<Long> ended = new ArrayList<>();
    for (Optional<Caller> here = sessions.sessionHere(username);
        here.isPresent();
        here = sessions.sessionHere(username)) {
      Optional<Caller> kicked = sessions.kick(here.get().sessionId());
      if (kicked.isEmpty()) {
        break;
      }
      ended.add(kicked.get().sessionId());
      notices.ended(kicked.get(), reason);
    }
    if (!ended.isEmpty()) {
      replication.sessionsChanged(ended);
      courier.forget(username);
      notices.onlineChanged();
    }
  }

  /** An account as it is sent to other servers. */
  public static UserRecord copyOf(UserAccount account) {
    return new UserRecord(
        account.username(),
        account.createdAt().toEpochMilli(),
        account.passwordHash(),
        account.revision(),
        account.disabled());
  }
}
