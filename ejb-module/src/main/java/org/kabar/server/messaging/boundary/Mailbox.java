package org.kabar.server.messaging.boundary;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.kabar.protocol.client.ClientReply.Delivery;
import org.kabar.protocol.client.ClientReply.InboxEntry;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.protocol.client.Names;
import org.kabar.protocol.peer.MessageRecord;
import org.kabar.server.accounts.boundary.Accounts;
import org.kabar.server.accounts.control.KnownUsers;
import org.kabar.server.channels.boundary.Channels;
import org.kabar.server.messaging.control.MessageRows;
import org.kabar.server.messaging.control.MessageRows.NewRow;
import org.kabar.server.messaging.control.MessageRows.StoredRow;
import org.kabar.server.messaging.control.StoredRequests;
import org.kabar.server.messaging.entity.StoredMessage;
import org.kabar.server.node.AfterTransaction;
import org.kabar.server.node.IdClock;
import org.kabar.server.node.MessageRate;
import org.kabar.server.node.NodeResources;
import org.kabar.server.node.NodeSettings;
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

  /** The persistence unit's database: the statements of every message run on it directly. */
  @Resource(lookup = NodeResources.DATA_SOURCE)
  DataSource dataSource;

  @EJB Accounts accounts;

  @Inject KnownUsers knownUsers;

  @EJB Sessions sessions;

  @EJB Channels channels;

  @Inject IdClock clock;

  @Inject MessageRate rate;

  @Inject StoredRequests requests;

  @Inject NodeSettings settings;

  @Resource TransactionSynchronizationRegistry transactions;

  /**
   * What a send came to: the stored ids, one per recipient, or a refusal; the pushes of the rows
   * stored now (none for a repeated request, whose rows may be delivered already); and the rows
   * stored now as copies for the other servers (none for a repeated request: read them again).
   */
  public record Stored(
      List<Long> ids,
      List<String> recipients,
      ErrorCode refusal,
      List<Delivery> fresh,
      List<MessageRecord> copies) {

    Stored(List<Long> ids, List<String> recipients, ErrorCode refusal, List<Delivery> fresh) {
      this(ids, recipients, refusal, fresh, List.of());
    }

    static Stored nothing(ErrorCode refusal) {
      return new Stored(List.of(), List.of(), refusal, List.of());
    }

    /** The same request again: the same rows, none of them pushed anew. */
    Stored repeated() {
      return new Stored(ids, recipients, refusal, List.of());
    }

    /** Whether the rows were stored by this request now, with their copies at hand. */
    public boolean storedNow() {
      return !copies.isEmpty();
    }

    /** The id the sender is told: the first stored row's, 0 if no one was online. */
    public long firstId() {
      return ids.isEmpty() ? 0 : ids.get(0);
    }
  }

  /** A write of the message path, SEND or ACK, as {@link #writeAll} takes them. */
  public sealed interface Write permits SendRequest, Acknowledgement {}

  /** One SEND to store, as {@link #send} takes it. */
  public record SendRequest(Caller sender, long seq, String to, String text) implements Write {}

  /**
   * Stores the SENDs and records the ACKs of a batch in one transaction, so that they share one
   * durable commit: what {@link #sendAll} and {@link #acknowledgeAll} do, in order, one result each
   * (a {@link Stored} for a SEND, a Boolean for an ACK).
   */
  public List<Object> writeAll(List<Write> writes) {
    List<SendRequest> sends = new ArrayList<>();
    List<Acknowledgement> acks = new ArrayList<>();
    for (Write write : writes) {
      if (write instanceof SendRequest send) {
        sends.add(send);
      } else if (write instanceof Acknowledgement ack) {
        acks.add(ack);
      }
    }
    List<Stored> stored = sends.isEmpty() ? List.of() : sendAll(sends);
    List<Boolean> acknowledged = acks.isEmpty() ? List.of() : acknowledgeAll(acks);
    List<Object> results = new ArrayList<>(writes.size());
    int nextSend = 0;
    int nextAck = 0;
    for (Write write : writes) {
      results.add(
          write instanceof SendRequest ? stored.get(nextSend++) : acknowledged.get(nextAck++));
    }
    return results;
  }

  /** One write alone, in a transaction of its own: what {@link #writeAll} does for one. */
  public Object write(Write write) {
    return writeAll(List.of(write)).get(0);
  }

  /**
   * Stores several messages in one transaction, so that they share one durable commit (group
   * commit): what {@link #send} does for each, in order, one result each.
   */
  public List<Stored> sendAll(List<SendRequest> sends) {
    List<Stored> results = new ArrayList<>(sends.size());
    Map<String, Stored> requests = new HashMap<>();
    List<NewRow> rows = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        MessageRows table = new MessageRows(connection)) {
      for (SendRequest s : sends) {
        String request = s.sender().sessionId() + " " + s.seq();
        Stored first = requests.get(request);
        if (first != null) { // the same request twice in this batch: stored once
          results.add(first.repeated());
          continue;
        }
        List<StoredRow> earlier = storedBefore(table, s);
        Stored stored =
            earlier.isEmpty()
                ? store(s.sender(), s.seq(), s.to(), s.text(), rows)
                : new Stored(
                    earlier.stream().map(StoredRow::id).toList(),
                    earlier.stream().map(StoredRow::destination).toList(),
                    null,
                    List.of());
        requests.put(request, stored);
        results.add(stored);
      }
      table.insert(rows);
    } catch (SQLException e) {
      throw new PersistenceException("messages not stored: " + e.getMessage(), e);
    }
    AfterTransaction.onCommit(transactions, () -> rows.forEach(this::remember));
    return results;
  }

  private void remember(NewRow row) {
    requests.stored(row.senderSession(), row.clientSeq(), row.id());
  }

  /**
   * The rows a request stored before: from memory; or, on a shared database, from the table too
   * while another node may have stored it unseen here (a session new to this node).
   */
  private List<StoredRow> storedBefore(MessageRows table, SendRequest s) throws SQLException {
    long session = s.sender().sessionId();
    Optional<long[]> known = requests.find(session, s.seq());
    if (known.isPresent()) {
      return table.rows(known.get());
    }
    if (settings.embeddedDatabase()
        || !requests.unfamiliar(session, clock.madeHereSinceStart(session))) {
      return List.of();
    }
    boolean direct = !s.to().equals(Names.EVERYONE) && !s.to().startsWith("#");
    long fromId = IdClock.firstIdAt(System.currentTimeMillis() - StoredRequests.KEEP.toMillis());
    return table.storedBy(session, s.seq(), direct ? s.to() : null, fromId);
  }

  /**
   * Stores a message to one user, to the members of a channel (kept for those away), or to everyone
   * online (not kept for those offline, S2.3).
   *
   * @param seq the request's sequence number: a repeat returns what the first one stored
   */
  public Stored send(Caller sender, long seq, String to, String text) {
    return sendAll(List.of(new SendRequest(sender, seq, to, text))).get(0);
  }

  /** The rows to store for a new request, added to {@code rows}, and what it comes to. */
  private Stored store(Caller sender, long seq, String to, String text, List<NewRow> rows) {
    List<String> recipients;
    boolean broadcast = to.equals(Names.EVERYONE);
    String channel = to.startsWith("#") ? to : null;
    if (channel != null) {
      Optional<List<String>> members = channels.members(channel, sender.username());
      if (members.isEmpty()) {
        return Stored.nothing(ErrorCode.NO_SUCH_CHANNEL);
      }
      recipients = new ArrayList<>(members.get());
      recipients.remove(sender.username());
      if (recipients.isEmpty()) {
        return Stored.nothing(null);
      }
    } else if (broadcast) {
      recipients = new ArrayList<>(sessions.onlineUsers());
      recipients.remove(sender.username());
      if (recipients.isEmpty()) {
        return Stored.nothing(null); // no one else online: nothing to keep
      }
    } else if (knownUsers.known(to) || accounts.exists(to)) {
      recipients = List.of(to);
    } else {
      return Stored.nothing(ErrorCode.NO_SUCH_USER);
    }
    Instant now = Instant.now();
    List<Long> ids = new ArrayList<>(recipients.size());
    List<Delivery> fresh = new ArrayList<>(recipients.size());
    List<MessageRecord> copies = new ArrayList<>(recipients.size());
    String shownTo = broadcast ? Names.EVERYONE : channel != null ? channel : null;
    for (String recipient : recipients) {
      long id = clock.nextId();
      long revision = clock.nextRevision();
      rows.add(
          new NewRow(
              id,
              sender.username(),
              recipient,
              text,
              now,
              sender.sessionId(),
              seq,
              broadcast,
              channel,
              revision));
      copies.add(
          new MessageRecord(
              id,
              revision,
              broadcast ? MessageRecord.BROADCAST : 0,
              now.toEpochMilli(),
              sender.username(),
              recipient,
              channel,
              sender.sessionId(),
              seq,
              text));
      ids.add(id);
      fresh.add(
          new Delivery(id, sender.username(), shownTo != null ? shownTo : recipient, now, text));
    }
    rate.accepted(1);
    return new Stored(ids, List.copyOf(recipients), null, fresh, copies);
  }

  /**
   * Stores an administrator's notice to every user online on any server, as a message from {@code
   * notice} to {@code all}: pushed, acknowledged and replicated like any message to everyone, and
   * not kept for those offline.
   */
  public Stored notice(String text) {
    Instant now = Instant.now();
    List<StoredMessage> rows = new ArrayList<>();
    for (String recipient : sessions.onlineUsers()) {
      StoredMessage message =
          new StoredMessage(clock.nextId(), Names.NOTICE, recipient, text, now, 0, 0, true);
      message.revise(clock.nextRevision());
      entityManager.persist(message);
      rows.add(message);
    }
    entityManager.flush();
    return stored(rows, true);
  }

  private static Stored stored(List<StoredMessage> rows, boolean fresh) {
    return new Stored(
        rows.stream().map(StoredMessage::id).toList(),
        rows.stream().map(StoredMessage::destination).toList(),
        null,
        fresh ? rows.stream().map(Mailbox::asDelivery).toList() : List.of());
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
    if (!message.read()) {
      message.markRead();
      message.revise(clock.nextRevision());
    }
    return Optional.of(asDelivery(message));
  }

  /**
   * Removes one message of the user's inbox, keeping a tombstone without its text so that no copy
   * on another server brings it back; false if there is no such message.
   */
  public boolean delete(String username, long id) {
    StoredMessage message = mine(username, id);
    if (message == null) {
      return false;
    }
    message.markDeleted();
    message.revise(clock.nextRevision());
    return true;
  }

  /** The recipient received a pushed message: Delivered = 1 (S2.7). */
  public boolean acknowledge(String username, long id) {
    return acknowledgeAll(List.of(new Acknowledgement(username, id))).get(0);
  }

  /** One ACK to record, as {@link #acknowledge} takes it. */
  public record Acknowledgement(String username, long id) implements Write {}

  /**
   * Records several acknowledgements in one transaction (group commit): what {@link #acknowledge}
   * does for each, in order, one result each (false: no such message of that user).
   */
  public List<Boolean> acknowledgeAll(List<Acknowledgement> acks) {
    List<MessageRows.Ack> changes = new ArrayList<>(acks.size());
    for (Acknowledgement a : acks) {
      changes.add(new MessageRows.Ack(a.username(), a.id(), clock.nextRevision()));
    }
    try (Connection connection = dataSource.getConnection();
        MessageRows table = new MessageRows(connection)) {
      return table.acknowledge(changes);
    } catch (SQLException e) {
      throw new PersistenceException("acknowledgements not stored: " + e.getMessage(), e);
    }
  }

  /** A stored message as a push, if it is still undelivered. */
  public Optional<Delivery> undelivered(long id) {
    StoredMessage message = entityManager.find(StoredMessage.class, id);
    return message == null || message.delivered() || message.deleted()
        ? Optional.empty()
        : Optional.of(asDelivery(message));
  }

  /** How many messages wait for a user: a count for the console, never their text. */
  public long undeliveredCount(String username) {
    return entityManager
        .createQuery(
            "SELECT COUNT(m) FROM StoredMessage m WHERE m.destination = :destination"
                + " AND m.delivered = FALSE AND m.deleted = FALSE AND m.broadcast = FALSE",
            Long.class)
        .setParameter("destination", username)
        .getSingleResult();
  }

  /** The ids of a user's oldest undelivered messages, at most {@code limit}, oldest first. */
  public List<Long> oldestUndelivered(String username, int limit) {
    return entityManager
        .createNamedQuery(StoredMessage.UNDELIVERED_TO, StoredMessage.class)
        .setParameter("destination", username)
        .setMaxResults(limit)
        .getResultList()
        .stream()
        .map(StoredMessage::id)
        .toList();
  }

  /** The ids of a user's offline messages, in the order sent (S2.3). */
  public List<Long> offlineFor(String username) {
    return oldestUndelivered(username, Integer.MAX_VALUE);
  }

  private StoredMessage mine(String username, long id) {
    StoredMessage message = entityManager.find(StoredMessage.class, id);
    return message != null && message.destination().equals(username) && !message.deleted()
        ? message
        : null;
  }

  /** The messages with these ids as copies for the other servers (seed S3.4). */
  public List<MessageRecord> copies(List<Long> ids) {
    return ids.stream()
        .map(id -> entityManager.find(StoredMessage.class, id))
        .filter(Objects::nonNull)
        .map(Mailbox::copyOf)
        .toList();
  }

  /** Messages changed at or after a revision, for a server catching up: a page after an id. */
  public List<MessageRecord> changedSince(long since, long afterId, int limit) {
    return copiesOf(
        entityManager
            .createNamedQuery(StoredMessage.CHANGED_SINCE, StoredMessage.class)
            .setParameter("since", since)
            .setParameter("after", afterId),
        limit);
  }

  /**
   * Undelivered messages with ids after {@code afterId}, a page in the order of id: with {@code
   * afterId} the first id of an instant ({@code IdClock.firstIdAt}), those stored since then.
   */
  public List<MessageRecord> undeliveredAfter(long afterId, int limit) {
    return copiesOf(
        entityManager
            .createNamedQuery(StoredMessage.UNDELIVERED_AFTER_ID, StoredMessage.class)
            .setParameter("after", afterId),
        limit);
  }

  /** A page of a query's messages as copies for the other servers. */
  private static List<MessageRecord> copiesOf(TypedQuery<StoredMessage> query, int limit) {
    return query.setMaxResults(limit).getResultList().stream().map(Mailbox::copyOf).toList();
  }

  /** The oldest messages still to be delivered to one user, as copies for another server. */
  public List<MessageRecord> undeliveredCopiesFor(String username, int limit) {
    return copiesOf(
        entityManager
            .createNamedQuery(StoredMessage.UNDELIVERED_TO_AFTER, StoredMessage.class)
            .setParameter("destination", username)
            .setParameter("after", 0L),
        limit);
  }

  /** What merging a copy of a message from another server did here. */
  public enum Merge {
    /** Nothing new. */
    SAME,
    /** First seen here and still undelivered: push it if its recipient is connected here. */
    NEW_UNDELIVERED,
    /** Stored or updated. */
    CHANGED,
    /** The copy here is further along: the sender should get it back. */
    OURS_AHEAD,
    /** For a user this server does not know (yet): dropped, the periodic copy brings it again. */
    UNKNOWN_USER
  }

  /**
   * Merges copies of messages in one transaction, one durable commit for all of them (what {@link
   * #mergeCopy} does for each, one result each, in the order given), with the plain statements of
   * {@link MessageRows#merge}: a read per copy, then the inserts and the updates in two batches.
   */
  public List<Merge> mergeCopies(List<MessageRecord> copies) {
    List<MessageRows.Merged> merged;
    try (Connection connection = dataSource.getConnection();
        MessageRows table = new MessageRows(connection)) {
      merged =
          table.merge(
              copies, accounts::exists, (session, seq) -> requests.find(session, seq).orElse(null));
    } catch (SQLException e) {
      throw new PersistenceException("copies not merged: " + e.getMessage(), e);
    }
    List<Merge> results = new ArrayList<>(copies.size());
    List<MessageRecord> inserted = new ArrayList<>();
    for (int i = 0; i < copies.size(); i++) {
      MessageRows.Merged one = merged.get(i);
      if (one == MessageRows.Merged.INSERTED_UNDELIVERED
          || one == MessageRows.Merged.INSERTED_DONE) {
        inserted.add(copies.get(i));
      }
      results.add(
          switch (one) {
            case INSERTED_UNDELIVERED -> Merge.NEW_UNDELIVERED;
            case INSERTED_DONE, GAINED -> Merge.CHANGED;
            case SAME -> Merge.SAME;
            case AHEAD -> Merge.OURS_AHEAD;
            case UNKNOWN_USER -> Merge.UNKNOWN_USER;
          });
    }
    if (!inserted.isEmpty()) {
      // a retransmission of the request that stored one, sent here now, finds it
      AfterTransaction.onCommit(
          transactions,
          () -> {
            for (MessageRecord copy : inserted) {
              requests.stored(copy.senderSession(), copy.clientSeq(), copy.id());
            }
          });
    }
    return results;
  }

  /** Merges a copy of a message: flags only ever gain, so the order copies arrive in is moot. */
  public Merge mergeCopy(MessageRecord copy) {
    StoredMessage local = entityManager.find(StoredMessage.class, copy.id());
    boolean delivered = copy.has(MessageRecord.DELIVERED);
    boolean read = copy.has(MessageRecord.READ);
    boolean deleted = copy.has(MessageRecord.DELETED);
    if (local == null) {
      if (!accounts.exists(copy.to())) {
        return Merge.UNKNOWN_USER;
      }
      StoredMessage message =
          new StoredMessage(
              copy.id(),
              copy.from(),
              copy.to(),
              copy.text(),
              Instant.ofEpochMilli(copy.receivedAtMillis()),
              copy.senderSession(),
              copy.clientSeq(),
              copy.has(MessageRecord.BROADCAST));
      if (copy.channel() != null) {
        message.sentTo(copy.channel());
      }
      message.replicaState(delivered, read, deleted, copy.revision());
      entityManager.persist(message);
      entityManager.flush();
      // a retransmission of the request that stored it, sent here now, finds it
      AfterTransaction.onCommit(
          transactions, () -> requests.stored(copy.senderSession(), copy.clientSeq(), copy.id()));
      return delivered || deleted ? Merge.CHANGED : Merge.NEW_UNDELIVERED;
    }
    boolean gained = local.mergeFlags(delivered, read, deleted, copy.revision());
    boolean ahead =
        (local.delivered() && !delivered)
            || (local.read() && !read)
            || (local.deleted() && !deleted);
    return ahead ? Merge.OURS_AHEAD : gained ? Merge.CHANGED : Merge.SAME;
  }

  private static MessageRecord copyOf(StoredMessage m) {
    int flags =
        (m.delivered() ? MessageRecord.DELIVERED : 0)
            | (m.read() ? MessageRecord.READ : 0)
            | (m.deleted() ? MessageRecord.DELETED : 0)
            | (m.broadcast() ? MessageRecord.BROADCAST : 0);
    return new MessageRecord(
        m.id(),
        m.revision(),
        flags,
        m.receivedAt().toEpochMilli(),
        m.source(),
        m.destination(),
        m.channel(),
        m.senderSession(),
        m.clientSeq(),
        m.text());
  }

  private static Delivery asDelivery(StoredMessage message) {
    String to =
        message.broadcast()
            ? Names.EVERYONE
            : message.channel() != null ? message.channel() : message.destination();
    return new Delivery(message.id(), message.source(), to, message.receivedAt(), message.text());
  }
}
