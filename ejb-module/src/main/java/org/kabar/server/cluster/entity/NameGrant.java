package org.kabar.server.cluster.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Objects;

/**
 * A username this server promised to one claim (seed S3.2: no username twice): written, and
 * committed, before the promise is sent, so that a server that restarts still keeps it. While the
 * row exists the name is granted to no other claim; it goes when the account arrives, when the
 * claimant gives the claim up, or when the claimant says how the claim ended. A server's own claims
 * are rows too, with itself as the claimant.
 */
@Entity
@Table(name = "NAME_GRANTS")
@NamedQuery(
    name = NameGrant.REMOVE,
    query = "DELETE FROM NameGrant g WHERE g.name = :name AND g.claimId = :claimId")
@NamedQuery(name = NameGrant.REMOVE_NAME, query = "DELETE FROM NameGrant g WHERE g.name = :name")
@NamedQuery(
    name = NameGrant.GRANTED_BEFORE,
    query = "SELECT g FROM NameGrant g WHERE g.grantedAt < :before ORDER BY g.grantedAt")
@NamedQuery(name = NameGrant.ALL, query = "SELECT g FROM NameGrant g ORDER BY g.grantedAt")
public class NameGrant {

  /** Removes the grant of a name to one claim; parameters {@code name}, {@code claimId}. */
  public static final String REMOVE = "NameGrant.remove";

  /** Removes whatever grant a name has; parameter {@code name}. */
  public static final String REMOVE_NAME = "NameGrant.removeName";

  /** Grants older than an instant, oldest first; parameter {@code before}. */
  public static final String GRANTED_BEFORE = "NameGrant.grantedBefore";

  /** Every grant, oldest first. */
  public static final String ALL = "NameGrant.all";

  @Id
  @Column(name = "NAME", length = 32)
  private String name;

  @Column(name = "CLAIM_ID", nullable = false, length = 64)
  private String claimId;

  /** The node name of the server that claims the name. */
  @Column(name = "CLAIMANT", nullable = false, length = 64)
  private String claimant;

  @Column(name = "GRANTED_AT", nullable = false)
  private Instant grantedAt;

  protected NameGrant() {}

  public NameGrant(String name, String claimId, String claimant, Instant grantedAt) {
    this.name = Objects.requireNonNull(name, "name");
    this.claimId = Objects.requireNonNull(claimId, "claimId");
    this.claimant = Objects.requireNonNull(claimant, "claimant");
    this.grantedAt = Objects.requireNonNull(grantedAt, "grantedAt");
  }

  public String name() {
    return name;
  }

  public String claimId() {
    return claimId;
  }

  public String claimant() {
    return claimant;
  }

  public Instant grantedAt() {
    return grantedAt;
  }
}
