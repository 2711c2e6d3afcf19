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

/**
 * A user's place in a channel: invited, then a member once they join; a user who left or was
 * removed keeps a row marked gone, so that no copy from another server brings them back.
 */
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
            + " AND m.gone = FALSE ORDER BY m.username")
@NamedQuery(
    name = ChannelMember.CHANGED_SINCE,
    query = "SELECT m FROM ChannelMember m WHERE m.revision >= :since ORDER BY m.id")
@NamedQuery(
    name = ChannelMember.ONE,
    query = "SELECT m FROM ChannelMember m WHERE m.channel = :channel AND m.username = :username")
@NamedQuery(
    name = ChannelMember.DELETE_USER,
    query = "DELETE FROM ChannelMember m WHERE m.username = :username")
public class ChannelMember {

  /** The members of a channel, by name; parameter {@code channel}. */
  public static final String OF_CHANNEL = "ChannelMember.ofChannel";

  /** Rows changed at or after a revision; parameter {@code since}. */
  public static final String CHANGED_SINCE = "ChannelMember.changedSince";

  /** One user's row in a channel, gone or not; parameters {@code channel}, {@code username}. */
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

  @Column(name = "GONE", nullable = false)
  private boolean gone;

  /** When the row last changed, by the deployment's revision clock: the newest copy wins. */
  // a default, so that an older database gains the column (create-or-extend-tables)
  @Column(name = "REVISION", nullable = false, columnDefinition = "BIGINT DEFAULT 0 NOT NULL")
  private long revision;

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

  /** Left, or removed by the creator. */
  public boolean gone() {
    return gone;
  }

  /** The user left or was removed. */
  public void leave() {
    this.gone = true;
    this.joined = false;
  }

  /** Invited again after leaving. */
  public void invitedAgain() {
    this.gone = false;
    this.joined = false;
  }

  public long revision() {
    return revision;
  }

  /** Records a change at a revision, always later than the one before. */
  public void revise(long at) {
    this.revision = Math.max(at, revision + 1);
  }

  /** Takes the state of a newer copy from another server. */
  public void takeCopy(boolean joined, boolean gone, long revision) {
    this.joined = joined;
    this.gone = gone;
    this.revision = revision;
  }
}
