package org.kabar.server.accounts.boundary;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.kabar.protocol.auth.Scram;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.server.accounts.control.Credentials;
import org.kabar.server.accounts.control.KnownUsers;
import org.kabar.server.accounts.control.PasswordHashing;
import org.kabar.server.accounts.entity.UserAccount;
import org.kabar.server.messaging.entity.StoredMessage;
import org.kabar.server.presence.control.SessionCache;
import org.kabar.server.presence.entity.ConnectedSession;

/**
 * Registers users, keeps their credentials (the SCRAM keys a login proof is checked with, never the
 * password) and removes them (seed S1.1, S1.7).
 */
@Stateless
public class Accounts {

  @PersistenceContext EntityManager entityManager;

  @Inject PasswordHashing passwords;

  @Inject SessionCache sessionCache;

  @Inject KnownUsers knownUsers;

  /**
   * Registers a username with the keys its client derived from the password.
   *
   * @return empty on success, else why not
   */
  public Optional<ErrorCode> register(String username, Scram.Keys keys) {
    if (find(username).isPresent()) {
      return Optional.of(ErrorCode.NAME_TAKEN);
    }
    entityManager.persist(new UserAccount(username, Credentials.format(keys), Instant.now()));
    entityManager.flush(); // a concurrent registration of the name fails here, not after the reply
    return Optional.empty();
  }

  /**
   * The keys a login proof for this account is checked with; empty if there is no such account or
   * its password lives in the directory.
   */
  public Optional<Scram.Keys> credentials(String username) {
    return find(username).flatMap(account -> Credentials.parse(account.passwordHash()));
  }

  /**
   * The password hash of accounts whose password only the directory knows: it matches no password,
   * so such an account cannot sign in locally.
   */
  public static final String DIRECTORY_MARKER = UserAccount.DIRECTORY_HASH;

  /** Empty if the account exists and is enabled (its password was checked elsewhere). */
  public Optional<ErrorCode> enabled(String username) {
    Optional<UserAccount> account = find(username);
    if (account.isEmpty()) {
      return Optional.of(ErrorCode.WRONG_CREDENTIALS);
    }
    return account.get().disabled() ? Optional.of(ErrorCode.ACCOUNT_DISABLED) : Optional.empty();
  }

  /** Keeps a directory user's display name in step with the directory. */
  public void showAs(String username, String displayName) {
    find(username)
        .filter(a -> !Objects.equals(a.displayName(), displayName))
        .ifPresent(a -> a.showAs(displayName));
  }

  /**
   * The chat account of a directory user, made at the first sign-in: no password is kept here.
   *
   * @return the account if it was made now, empty if it existed
   */
  public Optional<UserAccount> ensureDirectoryAccount(String username) {
    if (find(username).isPresent()) {
      return Optional.empty();
    }
    UserAccount account = new UserAccount(username, DIRECTORY_MARKER, Instant.now());
    entityManager.persist(account);
    entityManager.flush();
    return Optional.of(account);
  }

  /**
   * Disables or enables an account (an administrator's action) at a revision.
   *
   * @return the account as it now is, empty if there is none
   */
  public Optional<UserAccount> changeDisabled(String username, boolean disabled, long revision) {
    Optional<UserAccount> account = find(username);
    account.ifPresent(a -> a.changeDisabled(disabled, revision));
    return account;
  }

  /**
   * Gives an account a new password (an administrator's reset) at a revision; only its hash is
   * kept.
   *
   * @return the account as it now is, empty if there is none
   */
  public Optional<UserAccount> resetPassword(String username, String password, long revision) {
    Optional<UserAccount> account = find(username);
    account.ifPresent(a -> a.changePasswordHash(passwords.credentials(password), revision));
    return account;
  }

  /** What a copy of an account from another server did here. */
  public enum Merge {
    /** The account was not known here and is now. */
    NEW,
    /** The copy was newer: its password hash and state replaced the ones here. */
    CHANGED,
    /** This server holds the same or a newer state. */
    SAME,
    /**
     * Another account had the name here, made later: it was renamed (see {@link #conflictName}) and
     * the copy took the name.
     */
    RENAMED_HERE,
    /** Another account, made earlier, holds the name here: the copy is kept under another name. */
    KEPT_APART
  }

  /**
   * The name an account gets when another account with its name, made earlier at another server,
   * takes the name: the name (cut to fit) and four hex digits from its creation instant, the same
   * on every server.
   */
  public static String conflictName(String name, long createdMillis) {
    byte[] digest;
    try {
      digest =
          MessageDigest.getInstance("SHA-256")
              .digest((name + " " + createdMillis).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    String suffix = "-" + HexFormat.of().formatHex(digest, 0, 2);
    int keep = Math.min(name.length(), UserAccount.MAX_USERNAME - suffix.length());
    return name.substring(0, keep) + suffix;
  }

  /** Accounts renamed because another account had their name, by name: for the console. */
  public List<UserAccount> conflicts() {
    return entityManager
        .createNamedQuery(UserAccount.CONFLICTS, UserAccount.class)
        .setMaxResults(1000)
        .getResultList();
  }

  /** An administrator settled a renamed account: it is no longer listed as a conflict. */
  public boolean settleConflict(String username) {
    Optional<UserAccount> account = find(username);
    account.ifPresent(UserAccount::settleConflict);
    return account.isPresent();
  }

  /** Merges a copy of an account from another server: the newest revision wins. */
  public Merge mergeCopy(
      String username, String copiedHash, Instant createdAt, long revision, boolean disabled) {
    String passwordHash = Credentials.current(copiedHash); // an earlier version's server sent it
    Optional<UserAccount> held = find(username);
    if (held.isEmpty()) {
      UserAccount account = new UserAccount(username, passwordHash, createdAt);
      account.takeCopy(passwordHash, disabled, revision);
      entityManager.persist(account);
      return Merge.NEW;
    }
    UserAccount mine = held.get();
    if (!mine.sameAs(createdAt.toEpochMilli(), passwordHash)) {
      return mergeConflict(mine, username, passwordHash, createdAt, revision, disabled);
    }
    return mergeSame(mine, passwordHash, revision, disabled);
  }

  private static Merge mergeSame(
      UserAccount mine, String passwordHash, long revision, boolean disabled) {
    if (!mine.olderThan(revision, disabled, passwordHash)) {
      return Merge.SAME;
    }
    mine.takeCopy(passwordHash, disabled, revision);
    return Merge.CHANGED;
  }

  /**
   * Two accounts under one name, made at two servers that could not agree (they never met, or ran a
   * version without the majority rule): the one made first keeps the name on every server, the
   * other is kept, with its password, under {@link #conflictName} and listed on the console. Nobody
   * loses an account, and every server settles on the same names whatever order copies arrive in.
   */
  private Merge mergeConflict(
      UserAccount mine,
      String username,
      String passwordHash,
      Instant createdAt,
      long revision,
      boolean disabled) {
    boolean copyFirst =
        createdAt.toEpochMilli() != mine.createdAt().toEpochMilli()
            ? createdAt.toEpochMilli() < mine.createdAt().toEpochMilli()
            : passwordHash.compareTo(mine.passwordHash()) < 0;
    sessionCache.changed();
    knownUsers.changed();
    if (copyFirst) {
      String renamed = conflictName(username, mine.createdAt().toEpochMilli());
      mine.renameAfterConflict(renamed, username);
      entityManager.flush(); // the name is free before the copy takes it
      UserAccount account = new UserAccount(username, passwordHash, createdAt);
      account.takeCopy(passwordHash, disabled, revision);
      entityManager.persist(account);
      return Merge.RENAMED_HERE;
    }
    String renamed = conflictName(username, createdAt.toEpochMilli());
    Optional<UserAccount> kept = find(renamed);
    if (kept.isPresent()) {
      if (kept.get().conflictOf() == null) {
        kept.get().markConflictOf(username);
      }
      mergeSame(kept.get(), passwordHash, revision, disabled);
      return Merge.SAME;
    }
    UserAccount account = new UserAccount(renamed, passwordHash, createdAt);
    account.takeCopy(passwordHash, disabled, revision);
    account.markConflictOf(username);
    entityManager.persist(account);
    return Merge.KEPT_APART;
  }

  /**
   * Accounts whose name contains the text (any characters; LIKE wildcards in it match literally),
   * by name, at most {@code limit}.
   */
  public List<UserAccount> search(String text, int limit) {
    String escaped = text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    return entityManager
        .createQuery(
            "SELECT u FROM UserAccount u WHERE u.username LIKE :pattern ESCAPE '!'"
                + " ORDER BY u.username",
            UserAccount.class)
        .setParameter("pattern", "%" + escaped.toLowerCase(Locale.ROOT) + "%")
        .setMaxResults(limit)
        .getResultList();
  }

  /** Accounts created or changed at or after a time, oldest first: for a server catching up. */
  public List<UserAccount> changedSince(Instant since) {
    return entityManager
        .createNamedQuery(UserAccount.CHANGED_SINCE, UserAccount.class)
        .setParameter("since", since)
        .setParameter("sinceMillis", since.toEpochMilli())
        .getResultList();
  }

  /**
   * Removes an account with its sessions and inbox: unregistered here, or at another server that
   * told this one.
   */
  public void remove(String username) {
    sessionCache.changed();
    knownUsers.changed();
    entityManager
        .createNamedQuery(ConnectedSession.CONNECTED_USER, ConnectedSession.class)
        .setParameter("username", username)
        .getResultList()
        .forEach(ConnectedSession::disconnect);
    entityManager
        .createNamedQuery(StoredMessage.DELETE_INBOX)
        .setParameter("destination", username)
        .executeUpdate();
    entityManager
        .createNamedQuery(UserAccount.DELETE_BY_USERNAME)
        .setParameter("username", username)
        .executeUpdate();
  }

  /** The stored account, for replication: name, hash, creation time. */
  public Optional<UserAccount> account(String username) {
    return find(username);
  }

  /** Whether the username is registered. */
  public boolean exists(String username) {
    if (knownUsers.known(username)) {
      return true;
    }
    long readAt = knownUsers.generation();
    boolean found = find(username).isPresent();
    if (found) {
      knownUsers.remember(username, readAt);
    }
    return found;
  }

  /**
   * Converts the credentials an earlier version stored (a PBKDF2 hash, which is a SCRAM salted
   * password) to SCRAM keys, so that nothing stored lets its reader log in.
   *
   * @return how many accounts were converted
   */
  public int convertLegacyCredentials() {
    List<UserAccount> legacy =
        entityManager
            .createQuery(
                "SELECT u FROM UserAccount u WHERE u.passwordHash LIKE :prefix", UserAccount.class)
            .setParameter("prefix", "PBKDF2WithHmacSHA256:%")
            .getResultList();
    for (UserAccount account : legacy) {
      account.convertCredentials(Credentials.current(account.passwordHash()));
    }
    return legacy.size();
  }

  private Optional<UserAccount> find(String username) {
    List<UserAccount> found =
        entityManager
            .createNamedQuery(UserAccount.BY_USERNAME, UserAccount.class)
            .setParameter("username", username)
            .getResultList();
    return found.stream().findFirst();
  }
}
