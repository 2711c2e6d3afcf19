package org.kabar.server.admin.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Objects;

/** Someone who may sign in to the web console: a name and a PBKDF2 hash of the password. */
@Entity
@Table(name = "ADMINISTRATORS")
@NamedQuery(name = Administrator.COUNT, query = "SELECT COUNT(a) FROM Administrator a")
public class Administrator {

  /** How many administrators there are. */
  public static final String COUNT = "Administrator.count";

  @Id
  @Column(name = "NAME", length = 32)
  private String name;

  @Column(name = "PASSWORD_HASH", nullable = false, length = 256)
  private String passwordHash;

  @Column(name = "CREATED_AT", nullable = false)
  private Instant createdAt;

  protected Administrator() {}

  public Administrator(String name, String passwordHash, Instant createdAt) {
    this.name = Objects.requireNonNull(name);
    this.passwordHash = Objects.requireNonNull(passwordHash);
    this.createdAt = Objects.requireNonNull(createdAt);
  }

  public String name() {
    return name;
  }

  public String passwordHash() {
    return passwordHash;
  }

  /** Replaces the stored hash: the administrator chose a new password. */
  public void changePasswordHash(String newHash) {
    this.passwordHash = Objects.requireNonNull(newHash, "newHash");
  }

  public Instant createdAt() {
    return createdAt;
  }
}
