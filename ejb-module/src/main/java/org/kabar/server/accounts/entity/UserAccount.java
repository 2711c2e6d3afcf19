package org.kabar.server.accounts.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Objects;

/**
 * A registered user (the seed's User table). The password is never stored, nor anything that would
 * let its reader log in: only the SCRAM keys a login proof is checked with (see {@code
 * Credentials}), or a marker for accounts whose password lives in the directory.
 */
@Entity
@Table(
    name = "USERS",
    indexes = @Index(name = "UX_USERS_USERNAME", columnList = "USERNAME", unique = true))
@NamedQuery(
    name = UserAccount.BY_USERNAME,
    query = "SELECT u FROM UserAccount u WHERE u.username = :username")
@NamedQuery(
    name = UserAccount.DELETE_BY_USERNAME,
    query = "DELETE FROM UserAccount u WHERE u.username = :username")
@NamedQuery(
    name = UserAccount.CONFLICTS,
    query = "SELECT u FROM UserAccount u WHERE u.conflictOf IS NOT NULL ORDER BY u.username")
@NamedQuery(
    name = UserAccount.CHANGED_SINCE,
    query =
        "SELECT u FROM UserAccount u WHERE u.createdAt >= :since OR u.revision >= :sinceMillis"
            + " ORDER BY u.id")
public class UserAccount {

  /**
   * Accounts created or changed at or after a time; parameters {@code since} (an instant) and
   * {@code sinceMillis} (the same time in milliseconds).
   */
  public static final String CHANGED_SINCE = "UserAccount.changedSince";

  /** Accounts renamed because another account had their name, by name. */
  public static final String CONFLICTS = "UserAccount.conflicts";

  /** Removes the account of one username; parameter {@code username}. */
  public static final String DELETE_BY_USERNAME = "UserAccount.deleteByUsername";

  /** Finds the account of one username; parameter {@code username}. */
  public static final String BY_USERNAME = "UserAccount.byUsername";

  /**
   * The password hash of accounts whose password only the directory knows: it matches no password,
   * so such an account cannot sign in locally.
   */
  public static final String DIRECTORY_HASH = "directory";

  /** Longest username accepted. */
  public static final int MAX_USERNAME = 32;

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(name = "USERNAME", nullable = false, length = MAX_USERNAME)
  private String username;

  @Column(name = "PASSWORD_HASH", nullable = false, length = 256)
  private String passwordHash;

  @Column(name = "CREATED_AT", nullable = false)
  private Instant createdAt;

  @Column(name = "DISABLED", nullable = false)
  private boolean disabled;

  /** When an administrator last changed the account (0: never), in the servers' hybrid clock. */
  @Column(name = "REVISION", columnDefinition = "BIGINT DEFAULT 0 NOT NULL")
  private long revision;

  /** The name the directory gives the user (displayName, else cn); null for local accounts. */
  @Column(name = "DISPLAY_NAME", length = 128)
  private String displayName;

  /**
   * The name this account was registered under, when another account with the same name, made
   * earlier at another server, took it (two servers that never met, or a database from a version
   * without the majority rule); null otherwise, and again once an administrator settled it.
   */
  @Column(name = "CONFLICT_OF", length = MAX_USERNAME)
  private String conflictOf;

  @Version private long version;

  protected UserAccount() {}

  public UserAccount(String username, String passwordHash, Instant createdAt) {
    this.username = Objects.requireNonNull(username, "username");
    this.passwordHash = Objects.requireNonNull(passwordHash, "passwordHash");
    this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
  }

  public Long id() {
    return id;
  }

  public String username() {
    return username;
  }

  public String passwordHash() {
    return passwordHash;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public boolean disabled() {
    return disabled;
  }

  public long revision() {
    return revision;
  }

  public String displayName() {
    return displayName;
  }

  /** Keeps the directory's name for the user in step, at each sign-in. */
  public void showAs(String displayName) {
    this.displayName =
        displayName == null || displayName.length() <= 128
            ? displayName
            : displayName.substring(0, 128);
  }

  /** Replaces the stored hash (a password reset) at a revision. */
  public void changePasswordHash(String newHash, long revision) {
    this.passwordHash = Objects.requireNonNull(newHash, "newHash");
    this.revision = revision;
  }

  /**
   * Replaces credentials of an earlier format with the same keys in today's: not a change of the
   * password, so the revision stays.
   */
  public void convertCredentials(String sameKeys) {
    this.passwordHash = Objects.requireNonNull(sameKeys, "sameKeys");
  }

  /** Disables or enables the account at a revision. */
  public void changeDisabled(boolean disabled, long revision) {
    this.disabled = disabled;
    this.revision = revision;
  }

  /**
   * Whether a copy of this account at another server is newer than this one: a later revision, or
   * at the same revision the greater of the two states, so every server settles on one.
   */
  public boolean olderThan(long otherRevision, boolean otherDisabled, String otherHash) {
    if (otherRevision != revision) {
      return otherRevision > revision;
    }
    int byState = Boolean.compare(otherDisabled, disabled);
    return byState != 0 ? byState > 0 : otherHash.compareTo(passwordHash) > 0;
  }

  /** The name this account was registered under before a conflict renamed it, or null. */
  public String conflictOf() {
    return conflictOf;
  }

  /** Gives the account another name: an earlier account from another server had its own. */
  public void renameAfterConflict(String newName, String registeredAs) {
    this.username = Objects.requireNonNull(newName, "newName");
    this.conflictOf = Objects.requireNonNull(registeredAs, "registeredAs");
  }

  /** Marks the account as renamed from a name (it arrived here already renamed). */
  public void markConflictOf(String registeredAs) {
    this.conflictOf = registeredAs;
  }

  /** An administrator told the person the new name: nothing more to settle. */
  public void settleConflict() {
    this.conflictOf = null;
  }

  /**
   * Whether an account at another server with this name, created then, is this same account: the
   * same creation instant (to the millisecond, as copies carry it), or a directory account (the
   * directory knows one person by one name).
   */
  public boolean sameAs(long otherCreatedMillis, String otherHash) {
    return createdAt.toEpochMilli() == otherCreatedMillis
        || (passwordHash.equals(DIRECTORY_HASH) && otherHash.equals(DIRECTORY_HASH));
  }

  /** Takes the state of a newer copy from another server. */
  public void takeCopy(String otherHash, boolean otherDisabled, long otherRevision) {
    this.passwordHash = Objects.requireNonNull(otherHash, "otherHash");
    this.disabled = otherDisabled;
    this.revision = otherRevision;
  }

  public long version() {
    return version;
  }
}
