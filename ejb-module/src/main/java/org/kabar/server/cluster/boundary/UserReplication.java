package org.kabar.server.cluster.boundary;

import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.kabar.protocol.auth.Scram;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.protocol.peer.UserRecord;
import org.kabar.protocol.peer.UserRemoved;
import org.kabar.server.accounts.boundary.Accounts;
import org.kabar.server.accounts.boundary.Directory;
import org.kabar.server.accounts.boundary.Registrations;
import org.kabar.server.accounts.control.DirectoryPasswords;
import org.kabar.server.accounts.control.DirectorySettings;
import org.kabar.server.accounts.entity.RegistrationRequest;
import org.kabar.server.accounts.entity.UserAccount;
import org.kabar.server.channels.boundary.Channels;
import org.kabar.server.messaging.boundary.Courier;
import org.kabar.server.node.IdClock;
import org.kabar.server.presence.boundary.Caller;
import org.kabar.server.presence.boundary.PresenceChanges;
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

  private static final Logger LOG = Logger.getLogger(UserReplication.class.getName());

  @EJB Accounts accounts;

  @EJB NameClaims claims;

  @EJB PeerBroadcast peers;

  @EJB Sessions sessions;

  @EJB PresenceNotices notices;

  @EJB PresenceChanges presence;

  @EJB Replication replication;

  @Inject Courier courier;

  @Inject IdClock clock;

  @EJB Channels channels;

  @EJB Registrations registrations;

  @Inject Directory directory;

  /**
   * Registers a user if no server has the name, then tells every active server. With accounts in
   * the directory, the entry is created there first (or, with approval, the request waits).
   *
   * @param keys the new account's SCRAM keys, derived by the client (local accounts)
   * @param password the password, for the directory's entry (directory accounts), else null
   * @param from where the request came from, shown to the administrator who decides
   * @return empty on success, else why not
   */
  public Optional<ErrorCode> register(
      String username, Scram.Keys keys, String password, String from) {
    if (directory.active()
        && directory.settings().registration() == DirectorySettings.Registration.CLOSED) {
      return Optional.of(ErrorCode.REGISTRATION_CLOSED);
    }
    if (accounts.exists(username)) {
      return Optional.of(ErrorCode.NAME_TAKEN);
    }
    if (directory.active()
        && directory.settings().registration() == DirectorySettings.Registration.APPROVAL) {
      return requestApproval(username, password, from);
    }
    Optional<ErrorCode> refused =
        claims.register(
            username,
            () ->
                directory.active()
                    ? intoDirectory(username, DirectoryPasswords.ssha(password))
                    : accounts.register(username, keys));
    if (refused.isPresent()) {
      return refused;
    }
    peers.toActivePeers(copyOf(accounts.account(username).orElseThrow()));
    return Optional.empty();
  }

  private Optional<ErrorCode> requestApproval(String username, String password, String from) {
    if (registrations.of(username).isPresent()) {
      return Optional.of(ErrorCode.NAME_TAKEN);
    }
    switch (directory.presence(username)) {
      case PRESENT -> {
        return Optional.of(ErrorCode.NAME_TAKEN);
      }
      case UNAVAILABLE -> {
        return Optional.of(ErrorCode.DIRECTORY_UNAVAILABLE);
      }
      default -> {
        // free: the request waits for an administrator
      }
    }
    try {
      registrations.add(username, DirectoryPasswords.ssha(password), from);
    } catch (EJBException twoAtOnce) {
      return Optional.of(ErrorCode.NAME_TAKEN);
    }
    return Optional.of(ErrorCode.PENDING_APPROVAL);
  }

  /**
   * Creates the directory entry, then the chat account; if the chat account cannot be made, the
   * entry is deleted again, so nothing is left half made.
   */
  private Optional<ErrorCode> intoDirectory(String username, String userPassword) {
    Optional<ErrorCode> refused = directory.create(username, userPassword);
    if (refused.isPresent()) {
      return refused;
    }
    try {
      accounts.ensureDirectoryAccount(username);
      return Optional.empty();
    } catch (EJBException e) {
      directory.delete(username);
      throw e;
    }
  }

  /**
   * Approves a waiting registration: the entry is created in the directory with the password hash
   * taken at the request, and every server learns the account.
   *
   * @return empty if approved, else why not
   */
  public Optional<ErrorCode> approve(String username) {
    Optional<RegistrationRequest> request = registrations.of(username);
    if (request.isEmpty() || request.get().state() != RegistrationRequest.State.PENDING) {
      return Optional.of(ErrorCode.NO_SUCH_USER);
    }
    Optional<ErrorCode> made = intoDirectory(username, request.get().userPassword());
    if (made.isPresent()) {
      return made;
    }
    registrations.remove(username);
    peers.toActivePeers(copyOf(accounts.account(username).orElseThrow()));
    return Optional.empty();
  }

  /** Whether accounts live in the directory. */
  public boolean directoryAccounts() {
    return directory.active();
  }

  /**
   * Checks a directory user's password by binding as the user; at the first sign-in the chat
   * account is made and every server learns it.
   *
   * @return empty if the password is right, else why not
   */
  public Optional<ErrorCode> directorySignIn(String username, String password) {
    Directory.SignIn signIn = directory.signIn(username, password);
    switch (signIn.outcome()) {
      case OK -> {
        Optional<UserAccount> made;
        try {
          made = accounts.ensureDirectoryAccount(username);
        } catch (EJBException twoAtOnce) {
          made = Optional.empty();
        }
        made.ifPresent(account -> peers.toActivePeers(copyOf(account)));
        try {
          accounts.showAs(username, signIn.displayName());
        } catch (EJBException busy) {
          // the name is cosmetic: the next sign-in tries again
        }
        return Optional.empty();
      }
      case UNAVAILABLE -> {
        return Optional.of(ErrorCode.DIRECTORY_UNAVAILABLE);
      }
      default -> {
        return registrations
            .of(username)
            .filter(r -> DirectoryPasswords.matches(password, r.userPassword()))
            .map(
                r ->
                    r.state() == RegistrationRequest.State.PENDING
                        ? ErrorCode.PENDING_APPROVAL
                        : ErrorCode.REGISTRATION_REJECTED)
            .or(() -> Optional.of(ErrorCode.WRONG_CREDENTIALS));
      }
    }
  }

  /** Removes a local account whose password the caller has proved, here and on every server. */
  public void unregister(String username) {
    accounts.remove(username);
    channels.forget(username);
    removed(username);
  }

  /**
   * Unregisters a directory user who gave the password, by the directory's policy (delete the
   * entry, or only disable the chat account).
   *
   * @return empty if done, else why not
   */
  public Optional<ErrorCode> unregisterFromDirectory(String username, String password) {
    Optional<ErrorCode> refused = directorySignIn(username, password);
    if (refused.isPresent()) {
      return refused;
    }
    if (directory.settings().unregister() == DirectorySettings.Unregister.DISABLE) {
      changeDisabled(username, true);
      return Optional.empty();
    }
    if (!directory.delete(username)) {
      return Optional.of(ErrorCode.DIRECTORY_UNAVAILABLE);
    }
    accounts.remove(username);
    channels.forget(username);
    removed(username);
    return Optional.empty();
  }

  /**
   * Disables or enables an account on every server; disabling ends its sessions (the clients are
   * told {@code BYE disabled}).
   *
   * @return false if there is no such account
   */
  public boolean changeDisabled(String username, boolean disabled) {
    return everywhere(
        accounts.changeDisabled(username, disabled, clock.nextRevision()),
        disabled ? "disabled" : null);
  }

  /**
   * Gives an account a new password on every server and ends its sessions (the clients are told
   * {@code BYE password-reset}), so whoever held the old password is out.
   *
   * @return false if there is no such account
   */
  public boolean resetPassword(String username, String password) {
    return everywhere(
        accounts.resetPassword(username, password, clock.nextRevision()), "password-reset");
  }

  /**
   * After an account changed here: ends its sessions here (if a reason is given) and sends it to
   * every active server, which ends the sessions it holds.
   *
   * @return whether the account exists
   */
  private boolean everywhere(Optional<UserAccount> changed, String endSessionsBecause) {
    changed.ifPresent(
        account -> {
          if (endSessionsBecause != null) {
            endSessionsHere(account.username(), endSessionsBecause);
          }
          peers.toActivePeers(copyOf(account));
        });
    return changed.isPresent();
  }

  /**
   * An account from another server: stored if new; if newer than the one here, its hash and state
   * are taken, and the user's sessions on this server end when it was disabled or its password
   * reset.
   */
  public void onUser(UserRecord copy) {
    Optional<UserAccount> held = accounts.account(copy.name());
    String before = held.map(UserAccount::passwordHash).orElse(null);
    Accounts.Merge merge;
    try {
      merge = merge(copy);
    } catch (EJBException twoCopiesAtOnce) {
      merge = merge(copy);
    }
    claims.release(copy.name());
    if (merge == Accounts.Merge.RENAMED_HERE) {
      String renamed = Accounts.conflictName(copy.name(), held.get().createdAt().toEpochMilli());
      LOG.warning(
          () ->
              "'"
                  + copy.name()
                  + "' was registered twice: the account made here is now '"
                  + renamed
                  + "' (the other was made first); see the console's Users page");
      endSessionsHere(copy.name(), "renamed");
      accounts.account(renamed).ifPresent(account -> peers.toActivePeers(copyOf(account)));
    } else if (merge == Accounts.Merge.KEPT_APART) {
      LOG.warning(
          () ->
              "'"
                  + copy.name()
                  + "' was registered twice: the account made later is kept as '"
                  + Accounts.conflictName(copy.name(), copy.createdAtMillis())
                  + "'; see the console's Users page");
    }
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
      presence.changedSoon();
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
