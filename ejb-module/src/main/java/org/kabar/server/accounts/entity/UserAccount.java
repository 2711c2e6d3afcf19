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
 * A registered user (the seed's User table). The password is never stored: only a salted PBKDF2
 * hash in the format of Jakarta Security's {@code Pbkdf2PasswordHash}.
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
    name = UserAccount.CREATED_SINCE,
    query = "SELECT u FROM UserAccount u WHERE u.createdAt >= :since ORDER BY u.id")
public class UserAccount {

  /** Accounts created at or after a time; parameter {@code since}. */
  public static final String CREATED_SINCE = "UserAccount.createdSince";

  /** Removes the account of one username; parameter {@code username}. */
  public static final String DELETE_BY_USERNAME = "UserAccount.deleteByUsername";

  /** Finds the account of one username; parameter {@code username}. */
  public static final String BY_USERNAME = "UserAccount.byUsername";

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

  /** Replaces the stored hash, e.g. after a password change. */
  public void changePasswordHash(String newHash) {
    this.passwordHash = Objects.requireNonNull(newHash, "newHash");
  }

  public void disable() {
    this.disabled = true;
  }

  public long version() {
    return version;
  }
}
