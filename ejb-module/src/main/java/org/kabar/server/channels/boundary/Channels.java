package org.kabar.server.channels.boundary;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.server.accounts.boundary.Accounts;
import org.kabar.server.channels.entity.Channel;
import org.kabar.server.channels.entity.ChannelMember;

/**
 * Channels (the group chat of the seed's introduction): a user creates one, members invite others,
 * an invited user joins, members leave, the creator removes members. Names are unique. Every method
 * returns empty on success, or why it was refused.
 */
@Stateless
public class Channels {

  @PersistenceContext EntityManager entityManager;

  @EJB Accounts accounts;

  public Optional<ErrorCode> create(String channel, String creator) {
    if (find(channel).isPresent()) {
      return Optional.of(ErrorCode.NAME_TAKEN);
    }
    entityManager.persist(new Channel(channel, creator, Instant.now()));
    entityManager.persist(new ChannelMember(channel, creator, true));
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
    if (row(channel, invitee).isEmpty()) {
      entityManager.persist(new ChannelMember(channel, invitee, false));
    }
    return Optional.empty();
  }

  /** An invited user joins; joining twice is harmless. */
  public Optional<ErrorCode> join(String channel, String username) {
    Optional<ChannelMember> row = row(channel, username);
    if (find(channel).isEmpty() || row.isEmpty()) {
      return Optional.of(ErrorCode.NO_SUCH_CHANNEL); // uninvited users do not learn it exists
    }
    row.get().join();
    return Optional.empty();
  }

  public Optional<ErrorCode> leave(String channel, String username) {
    Optional<ChannelMember> row = row(channel, username);
    if (row.isEmpty() || !row.get().joined()) {
      return Optional.of(ErrorCode.NO_SUCH_CHANNEL);
    }
    entityManager.remove(row.get());
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
    entityManager.remove(row.get());
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

  private Optional<ChannelMember> row(String channel, String username) {
    return entityManager
        .createNamedQuery(ChannelMember.ONE, ChannelMember.class)
        .setParameter("channel", channel)
        .setParameter("username", username)
        .getResultList()
        .stream()
        .findFirst();
  }
}
