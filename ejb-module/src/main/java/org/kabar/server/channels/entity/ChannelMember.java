package org.kabar.server.channels.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.util.Objects;

/** A user's place in a channel: invited, then a member once they join. */
@Entity
@Table(
    name = "CHANNEL_MEMBERS",
    indexes = {
      @Index(name = "UX_CHANNEL_MEMBERS", columnList = "CHANNEL, USERNAME", unique = true),
      @Index(name = "IX_CHANNEL_MEMBERS_USER", columnList = "USERNAME")
    })
@NamedQuery(
    name = ChannelMember.OF_CHANNEL,
    query =
        "SELECT m FROM ChannelMember m WHERE m.channel = :channel AND m.joined = TRUE"
            + " ORDER BY m.username")
@NamedQuery(
    name = ChannelMember.ONE,
    query = "SELECT m FROM ChannelMember m WHERE m.channel = :channel AND m.username = :username")
@NamedQuery(
    name = ChannelMember.DELETE_USER,
    query = "DELETE FROM ChannelMember m WHERE m.username = :username")
public class ChannelMember {

  /** The members of a channel, by name; parameter {@code channel}. */
  public static final String OF_CHANNEL = "ChannelMember.ofChannel";

  /** One user's row in a channel; parameters {@code channel}, {@code username}. */
  public static final String ONE = "ChannelMember.one";

  /** Removes a user from every channel; parameter {@code username}. */
  public static final String DELETE_USER = "ChannelMember.deleteUser";

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(name = "CHANNEL", nullable = false, length = 33)
  private String channel;

  @Column(name = "USERNAME", nullable = false, length = 32)
  private String username;

  @Column(name = "JOINED", nullable = false)
  private boolean joined;

  protected ChannelMember() {}

  /** An invitation, or a membership if {@code joined}. */
  public ChannelMember(String channel, String username, boolean joined) {
    this.channel = Objects.requireNonNull(channel);
    this.username = Objects.requireNonNull(username);
    this.joined = joined;
  }

  public String channel() {
    return channel;
  }

  public String username() {
    return username;
  }

  public boolean joined() {
    return joined;
  }

  /** The invited user accepted. */
  public void join() {
    this.joined = true;
  }
}
