package org.kabar.server.messaging.boundary;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kabar.protocol.client.ClientReply.Delivery;
import org.kabar.protocol.client.ClientReply.InboxEntry;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.protocol.client.Names;
import org.kabar.server.accounts.boundary.Accounts;
import org.kabar.server.channels.boundary.Channels;
import org.kabar.server.messaging.entity.StoredMessage;
import org.kabar.server.presence.boundary.Caller;
import org.kabar.server.presence.boundary.Sessions;

/**
 * Every user's inbox (the seed's Messages table). A message is stored, and committed, before its
 * sender is told it was accepted (S2.1); a retransmitted request finds what it stored before.
 */
@Stateless
public class Mailbox {

  /** Inbox entries per page. */
  public static final int PAGE = 15;

  @PersistenceContext EntityManager entityManager;

  @EJB Accounts accounts;

  @EJB Sessions sessions;

  @EJB Channels channels;

  /** What a send came to: the stored ids, one per recipient, or a refusal. */
  public record Stored(List<Long> ids, List<String> recipients, ErrorCode refusal) {
    /** The id the sender is told: the first stored row's, 0 if no one was online. */
    public long firstId() {
      return ids.isEmpty() ? 0 : ids.get(0);
    }
  }

  /**
   * Stores a message to one user, to the members of a channel (kept for those away), or to everyone
   * online (not kept for those offline, S2.3).
   *
   * @param seq the request's sequence number: a repeat returns what the first one stored
   */
  public Stored send(Caller sender, long seq, String to, String text) {
    List<StoredMessage> earlier =
        entityManager
            .createNamedQuery(StoredMessage.BY_CLIENT_SEQ, StoredMessage.class)
            .setParameter("session", sender.sessionId())
            .setParameter("seq", seq)
            .getResultList();
    if (!earlier.isEmpty()) {
      return stored(earlier);
    }
    List<String> recipients;
    boolean broadcast = to.equals(Names.EVERYONE);
    String channel = to.startsWith("#") ? to : null;
    if (channel != null) {
      Optional<List<String>> members = channels.members(channel, sender.username());
      if (members.isEmpty()) {
        return new Stored(List.of(), List.of(), ErrorCode.NO_SUCH_CHANNEL);
      }
      recipients = new ArrayList<>(members.get());
      recipients.remove(sender.username());
      if (recipients.isEmpty()) {
        return new Stored(List.of(), List.of(), null);
      }
    } else if (broadcast) {
      recipients = new ArrayList<>(sessions.onlineUsers());
      recipients.remove(sender.username());
      if (recipients.isEmpty()) {
        return new Stored(List.of(), List.of(), null); // no one else online: nothing to keep
      }
    } else if (accounts.exists(to)) {
      recipients = List.of(to);
    } else {
      return new Stored(List.of(), List.of(), ErrorCode.NO_SUCH_USER);
    }
    Instant now = Instant.now();
    List<StoredMessage> rows = new ArrayList<>();
    for (String recipient : recipients) {
      StoredMessage message =
          new StoredMessage(
              sender.username(), recipient, text, now, sender.sessionId(), seq, broadcast);
      if (channel != null) {
        message.sentTo(channel);
      }
      entityManager.persist(message);
      rows.add(message);
    }
    entityManager.flush(); // assigns the ids
    return stored(rows);
  }

  private static Stored stored(List<StoredMessage> rows) {
    return new Stored(
        rows.stream().map(StoredMessage::id).toList(),
        rows.stream().map(StoredMessage::destination).toList(),
        null);
  }

  /** A page of the inbox after a message id, oldest first; one more than a page means "more". */
  public List<InboxEntry> inbox(String username, long afterId) {
    return entityManager
        .createNamedQuery(StoredMessage.INBOX_AFTER, StoredMessage.class)
        .setParameter("destination", username)
        .setParameter("after", afterId)
        .setMaxResults(PAGE + 1)
        .getResultList()
        .stream()
        .map(m -> new InboxEntry(m.id(), m.source(), m.receivedAt(), m.read()))
        .toList();
  }

  /** One message of the user's inbox, now marked read. */
  public Optional<Delivery> read(String username, long id) {
    StoredMessage message = mine(username, id);
    if (message == null) {
      return Optional.empty();
    }
    message.markRead();
    return Optional.of(asDelivery(message));
  }

  /** Removes one message of the user's inbox; false if there is no such message. */
  public boolean delete(String username, long id) {
    StoredMessage message = mine(username, id);
    if (message == null) {
      return false;
    }
    entityManager.remove(message);
    return true;
  }

  /** The recipient received a pushed message: Delivered = 1 (S2.7). */
  public boolean acknowledge(String username, long id) {
    StoredMessage message = mine(username, id);
    if (message == null) {
      return false;
    }
    message.markDelivered();
    return true;
  }

  /** A stored message as a push, if it is still undelivered. */
  public Optional<Delivery> undelivered(long id) {
    StoredMessage message = entityManager.find(StoredMessage.class, id);
    return message == null || message.delivered()
        ? Optional.empty()
        : Optional.of(asDelivery(message));
  }

  /** The ids of a user's offline messages, in the order sent (S2.3). */
  public List<Long> offlineFor(String username) {
    return entityManager
        .createNamedQuery(StoredMessage.UNDELIVERED_TO, StoredMessage.class)
        .setParameter("destination", username)
        .getResultList()
        .stream()
        .map(StoredMessage::id)
        .toList();
  }

  private StoredMessage mine(String username, long id) {
    StoredMessage message = entityManager.find(StoredMessage.class, id);
    return message != null && message.destination().equals(username) ? message : null;
  }

  private static Delivery asDelivery(StoredMessage message) {
    String to =
        message.broadcast()
            ? Names.EVERYONE
            : message.channel() != null ? message.channel() : message.destination();
    return new Delivery(message.id(), message.source(), to, message.receivedAt(), message.text());
  }
}
