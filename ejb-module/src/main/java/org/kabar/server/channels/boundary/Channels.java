package org.kabar.server.channels.boundary;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.protocol.peer.ChannelRecord;
import org.kabar.protocol.peer.MemberRecord;
import org.kabar.protocol.peer.PeerFrame;
import org.kabar.server.accounts.boundary.Accounts;
import org.kabar.server.channels.entity.Channel;
import org.kabar.server.channels.entity.ChannelMember;
import org.kabar.server.node.IdClock;

/**
 * Channels (the group chat of the seed's introduction): a user creates one, members invite others,
 * an invited user joins, members leave, the creator removes members. Names are unique. Every method
 * returns empty on success, or why it was refused.
 */
@Stateless
public class Channels {

  @PersistenceContext EntityManager entityManager;

  @EJB Accounts accounts;

  @Inject IdClock clock;

  public Optional<ErrorCode> create(String channel, String creator) {
    if (find(channel).isPresent()) {
      return Optional.of(ErrorCode.NAME_TAKEN);
    }
    entityManager.persist(new Channel(channel, creator, Instant.now()));
    ChannelMember member = new ChannelMember(channel, creator, true);
    member.revise(clock.nextRevision());
    entityManager.persist(member);
    entityManager.flush();
    return Optional.empty();
  }

  /** A member invites a registered user. */
  public Optional<ErrorCode> invite(String channel, String member, String invitee) {
    Optional<ErrorCode> refusal = requireMember(channel, member);
    if (refusal.isPresent()) {
      return refusal;
    }
    if (!accounts.exists(invitee)) {
      return Optional.of(ErrorCode.NO_SUCH_USER);
    }
    Optional<ChannelMember> earlier = anyRow(channel, invitee);
    if (earlier.isEmpty()) {
      ChannelMember invited = new ChannelMember(channel, invitee, false);
      invited.revise(clock.nextRevision());
      entityManager.persist(invited);
    } else if (earlier.get().gone()) {
      earlier.get().invitedAgain();
      earlier.get().revise(clock.nextRevision());
    }
    return Optional.empty();
  }

  /** An invited user joins; joining twice is harmless. */
  public Optional<ErrorCode> join(String channel, String username) {
    Optional<ChannelMember> row = row(channel, username);
    if (find(channel).isEmpty() || row.isEmpty()) {
      return Optional.of(ErrorCode.NO_SUCH_CHANNEL); // uninvited users do not learn it exists
    }
    if (!row.get().joined()) {
      row.get().join();
      row.get().revise(clock.nextRevision());
    }
    return Optional.empty();
  }

  public Optional<ErrorCode> leave(String channel, String username) {
    Optional<ChannelMember> row = row(channel, username);
    if (row.isEmpty() || !row.get().joined()) {
      return Optional.of(ErrorCode.NO_SUCH_CHANNEL);
    }
    row.get().leave();
    row.get().revise(clock.nextRevision());
    return Optional.empty();
  }

  /** The creator removes a member (or withdraws an invitation). */
  public Optional<ErrorCode> kick(String channel, String creator, String username) {
    Optional<Channel> found = find(channel);
    if (found.isEmpty() || row(channel, creator).filter(ChannelMember::joined).isEmpty()) {
      return Optional.of(ErrorCode.NO_SUCH_CHANNEL);
    }
    if (!found.get().creator().equals(creator) || creator.equals(username)) {
      return Optional.of(ErrorCode.NOT_ALLOWED);
    }
    Optional<ChannelMember> row = row(channel, username);
    if (row.isEmpty()) {
      return Optional.of(ErrorCode.NO_SUCH_USER);
    }
    row.get().leave();
    row.get().revise(clock.nextRevision());
    return Optional.empty();
  }

  /** The members, if the asking user is one. */
  public Optional<List<String>> members(String channel, String asking) {
    if (requireMember(channel, asking).isPresent()) {
      return Optional.empty();
    }
    return Optional.of(
        entityManager
            .createNamedQuery(ChannelMember.OF_CHANNEL, ChannelMember.class)
            .setParameter("channel", channel)
            .getResultList()
            .stream()
            .map(ChannelMember::username)
            .toList());
  }

  /** Empty if the user is a member of the channel, else why not. */
  public Optional<ErrorCode> requireMember(String channel, String username) {
    boolean member = row(channel, username).filter(ChannelMember::joined).isPresent();
    return member ? Optional.empty() : Optional.of(ErrorCode.NO_SUCH_CHANNEL);
  }

  /** A channel as the console lists it: never a message. */
  public record ChannelView(
      String name, String creator, Instant createdAt, long members, long invited)
      implements Serializable {

    /** Whether an administrator deleted it: nobody is left in it, and its name stays taken. */
    public boolean deleted() {
      return members == 0 && invited == 0;
    }
  }

  /** A user's place in a channel, for the console. */
  public record Place(String user, String state) implements Serializable {}

  /** Every channel, by name, with how many members and invitations it has. */
  public List<ChannelView> all() {
    Map<String, long[]> counts = new HashMap<>();
    for (Object[] row :
        entityManager
            .createQuery(
                "SELECT m.channel, m.joined, COUNT(m) FROM ChannelMember m WHERE m.gone = FALSE"
                    + " GROUP BY m.channel, m.joined",
                Object[].class)
            .getResultList()) {
      long[] count = counts.computeIfAbsent((String) row[0], c -> new long[2]);
      count[Boolean.TRUE.equals(row[1]) ? 0 : 1] += ((Number) row[2]).longValue();
    }
    List<ChannelView> views = new ArrayList<>();
    for (Channel c :
        entityManager
            .createQuery("SELECT c FROM Channel c ORDER BY c.name", Channel.class)
            .getResultList()) {
      long[] count = counts.getOrDefault(c.name(), new long[2]);
      views.add(new ChannelView(c.name(), c.creator(), c.createdAt(), count[0], count[1]));
    }
    return views;
  }

  /** Who is in a channel or invited to it, by name: for the console, which is not a member. */
  public List<Place> places(String channel) {
    return entityManager
        .createQuery(
            "SELECT m FROM ChannelMember m WHERE m.channel = :channel AND m.gone = FALSE"
                + " ORDER BY m.username",
            ChannelMember.class)
        .setParameter("channel", channel)
        .getResultList()
        .stream()
        .map(m -> new Place(m.username(), m.joined() ? "member" : "invited"))
        .toList();
  }

  /**
   * Deletes a channel (an administrator's action): every member and invitation is gone at a new
   * revision, which the other servers take as they take a leave; the name stays taken.
   *
   * @return the users whose place changed, to send to the other servers
   */
  public List<String> close(String channel) {
    List<String> changed = new ArrayList<>();
    for (ChannelMember row :
        entityManager
            .createQuery(
                "SELECT m FROM ChannelMember m WHERE m.channel = :channel AND m.gone = FALSE",
                ChannelMember.class)
            .setParameter("channel", channel)
            .getResultList()) {
      row.leave();
      row.revise(clock.nextRevision());
      changed.add(row.username());
    }
    return changed;
  }

  /** Whether a channel of this name exists (or existed and was deleted). */
  public boolean exists(String channel) {
    return find(channel).isPresent();
  }

  /** Removes a user from every channel (when the account is removed). */
  public void forget(String username) {
    entityManager
        .createNamedQuery(ChannelMember.DELETE_USER)
        .setParameter("username", username)
        .executeUpdate();
  }

  private Optional<Channel> find(String channel) {
    return entityManager
        .createNamedQuery(Channel.BY_NAME, Channel.class)
        .setParameter("name", channel)
        .getResultList()
        .stream()
        .findFirst();
  }

  /** The user's row in the channel unless the user left or was removed. */
  private Optional<ChannelMember> row(String channel, String username) {
    return anyRow(channel, username).filter(m -> !m.gone());
  }

  private Optional<ChannelMember> anyRow(String channel, String username) {
    return entityManager
        .createNamedQuery(ChannelMember.ONE, ChannelMember.class)
        .setParameter("channel", channel)
        .setParameter("username", username)
        .getResultList()
        .stream()
        .findFirst();
  }

  /** A channel and some users' rows in it, as copies for the other servers. */
  public List<PeerFrame> copies(String channel, List<String> users) {
    List<PeerFrame> frames = new ArrayList<>();
    find(channel).map(Channels::copyOf).ifPresent(frames::add);
    for (String user : users) {
      anyRow(channel, user).map(Channels::copyOf).ifPresent(frames::add);
    }
    return frames;
  }

  /** Channels created and rows changed at or after a time, for a server catching up. */
  public List<PeerFrame> changedSince(long sinceMillis) {
    List<PeerFrame> frames = new ArrayList<>();
    entityManager
        .createNamedQuery(Channel.CREATED_SINCE, Channel.class)
        .setParameter("since", Instant.ofEpochMilli(sinceMillis))
        .getResultList()
        .forEach(c -> frames.add(copyOf(c)));
    entityManager
        .createNamedQuery(ChannelMember.CHANGED_SINCE, ChannelMember.class)
        .setParameter("since", sinceMillis)
        .getResultList()
        .forEach(m -> frames.add(copyOf(m)));
    return frames;
  }

  /**
   * Merges a channel from another server; of two created at once, the earlier wins.
   *
   * @return whether it changed anything here
   */
  public boolean mergeCopy(ChannelRecord copy) {
    Instant createdAt = Instant.ofEpochMilli(copy.createdAtMillis());
    Optional<Channel> local = find(copy.name());
    if (local.isEmpty()) {
      entityManager.persist(new Channel(copy.name(), copy.creator(), createdAt));
      entityManager.flush();
      return true;
    } else if (local.get().yieldsTo(copy.creator(), createdAt)) {
      local.get().takeCopy(copy.creator(), createdAt);
      return true;
    }
    return false;
  }

  /** What merging a copy of a channel row did here. */
  public enum Merge {
    /** Nothing new. */
    SAME,
    /** Stored or updated. */
    CHANGED,
    /** The row here is newer: the sender should get it back. */
    OURS_NEWER,
    /** For a user this server does not know (yet). */
    UNKNOWN_USER
  }

  /** Merges a user's row in a channel from another server: the higher revision wins. */
  public Merge mergeCopy(MemberRecord copy) {
    boolean joined = copy.state() == MemberRecord.State.JOINED;
    boolean gone = copy.state() == MemberRecord.State.GONE;
    Optional<ChannelMember> local = anyRow(copy.channel(), copy.user());
    if (local.isEmpty()) {
      if (accounts.exists(copy.user())) {
        ChannelMember row = new ChannelMember(copy.channel(), copy.user(), joined);
        row.takeCopy(joined, gone, copy.revision());
        entityManager.persist(row);
        entityManager.flush();
        return Merge.CHANGED;
      }
      return Merge.UNKNOWN_USER;
    }
    if (copy.revision() > local.get().revision()) {
      local.get().takeCopy(joined, gone, copy.revision());
      return Merge.CHANGED;
    }
    return copy.revision() < local.get().revision() ? Merge.OURS_NEWER : Merge.SAME;
  }

  private static ChannelRecord copyOf(Channel c) {
    return new ChannelRecord(c.name(), c.creator(), c.createdAt().toEpochMilli());
  }

  private static MemberRecord copyOf(ChannelMember m) {
    MemberRecord.State state =
        m.gone()
            ? MemberRecord.State.GONE
            : m.joined() ? MemberRecord.State.JOINED : MemberRecord.State.INVITED;
    return new MemberRecord(m.channel(), m.username(), state, m.revision());
  }
}
