package org.kabar.server.accounts.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Objects;

/**
 * A registration into the directory that waits for an administrator ({@code
 * KABAR_LDAP_REGISTRATION=approval}). It keeps the {@code userPassword} value the entry will get (a
 * salted hash), never the password.
 */
@Entity
@Table(
    name = "REGISTRATION_REQUESTS",
    indexes = @Index(name = "UX_REGISTRATION_USERNAME", columnList = "USERNAME", unique = true))
public class RegistrationRequest {

  /** Where a request stands. */
  public enum State {
    PENDING,
    REJECTED
  }

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(name = "USERNAME", nullable = false, length = UserAccount.MAX_USERNAME)
  private String username;

  @Column(name = "USER_PASSWORD", nullable = false, length = 128)
  private String userPassword;

  @Column(name = "REQUESTED_AT", nullable = false)
  private Instant requestedAt;

  @Column(name = "ADDRESS", nullable = false, length = 64)
  private String address;

  @Column(name = "STATE", nullable = false, length = 16)
  private String state;

  @Column(name = "DECIDED_BY", length = 64)
  private String decidedBy;

  protected RegistrationRequest() {}

  public RegistrationRequest(
      String username, String userPassword, Instant requestedAt, String address) {
    this.username = Objects.requireNonNull(username, "username");
    this.userPassword = Objects.requireNonNull(userPassword, "userPassword");
    this.requestedAt = Objects.requireNonNull(requestedAt, "requestedAt");
    this.address = Objects.requireNonNull(address, "address");
    this.state = State.PENDING.name();
  }

  public Long id() {
    return id;
  }

  public String username() {
    return username;
  }

  /** The {@code userPassword} value for the directory entry: a salted hash. */
  public String userPassword() {
    return userPassword;
  }

  public Instant requestedAt() {
    return requestedAt;
  }

  /** The address the request came from, for the administrator deciding. */
  public String address() {
    return address;
  }

  public State state() {
    return State.valueOf(state);
  }

  public String decidedBy() {
    return decidedBy;
  }

  public void reject(String admin) {
    this.state = State.REJECTED.name();
    this.decidedBy = admin;
  }
}
