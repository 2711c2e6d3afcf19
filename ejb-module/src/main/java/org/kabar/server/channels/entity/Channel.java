package org.kabar.server.channels.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Objects;

/** A channel: a unique name and the user who created it (who may remove members). */
@Entity
@Table(
    name = "CHANNELS",
    indexes = @Index(name = "UX_CHANNELS_NAME", columnList = "NAME", unique = true))
@NamedQuery(name = Channel.BY_NAME, query = "SELECT c FROM Channel c WHERE c.name = :name")
@NamedQuery(
    name = Channel.CREATED_SINCE,
    query = "SELECT c FROM Channel c WHERE c.createdAt >= :since ORDER BY c.id")
public class Channel {

  /** Channels created at or after a time; parameter {@code since}. */
  public static final String CREATED_SINCE = "Channel.createdSince";

  /** One channel by name; parameter {@code name}. */
  public static final String BY_NAME = "Channel.byName";

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(name = "NAME", nullable = false, length = 33)
  private String name;

  @Column(name = "CREATOR", nullable = false, length = 32)
  private String creator;

  @Column(name = "CREATED_AT", nullable = false)
  private Instant createdAt;

  protected Channel() {}

  public Channel(String name, String creator, Instant createdAt) {
    this.name = Objects.requireNonNull(name);
    this.creator = Objects.requireNonNull(creator);
    this.createdAt = Objects.requireNonNull(createdAt);
  }

  public Long id() {
    return id;
  }

  public String name() {
    return name;
  }

  public String creator() {
    return creator;
  }

  public Instant createdAt() {
    return createdAt;
  }

  /** Two servers created this name at once: the earlier one (then the smaller creator) is kept. */
  public boolean yieldsTo(String otherCreator, Instant otherCreatedAt) {
    int byTime = otherCreatedAt.compareTo(createdAt);
    return byTime < 0 || (byTime == 0 && otherCreator.compareTo(creator) < 0);
  }

  /** Takes the creator of the channel that won. */
  public void takeCopy(String otherCreator, Instant otherCreatedAt) {
    this.creator = Objects.requireNonNull(otherCreator);
    this.createdAt = Objects.requireNonNull(otherCreatedAt);
  }
}
