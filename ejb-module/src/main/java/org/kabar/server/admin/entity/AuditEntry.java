package org.kabar.server.admin.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Objects;

/** One action of an administrator: who, what, when (and on which node). */
@Entity
@Table(name = "AUDIT_LOG")
@NamedQuery(name = AuditEntry.NEWEST, query = "SELECT a FROM AuditEntry a ORDER BY a.id DESC")
public class AuditEntry {

  /** The newest entries first. */
  public static final String NEWEST = "AuditEntry.newest";

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(name = "ACTED_AT", nullable = false)
  private Instant at;

  @Column(name = "WHO", nullable = false, length = 32)
  private String who;

  @Column(name = "WHAT", nullable = false, length = 500)
  private String what;

  @Column(name = "NODE", nullable = false, length = 64)
  private String node;

  protected AuditEntry() {}

  public AuditEntry(Instant at, String who, String what, String node) {
    this.at = Objects.requireNonNull(at);
    this.who = Objects.requireNonNull(who);
    this.what = what.length() > 500 ? what.substring(0, 500) : what;
    this.node = Objects.requireNonNull(node);
  }

  public Instant at() {
    return at;
  }

  public String who() {
    return who;
  }

  public String what() {
    return what;
  }

  public String node() {
    return node;
  }
}
