package org.kabar.server.messaging.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Objects;

/**
 * A message as the server stored it (the seed's Messages table): received when, from whom, to whom,
 * the text, and whether it was delivered. Delivered = false makes it an offline message.
 */
@Entity
@Table(
    name = "MESSAGES",
    indexes = {
      // every index costs every message an update: two beside the primary key. An ACK changes
      // DELIVERED, so it rewrites an entry of PENDING only; RECIPIENT never changes. The duplicate
      // check of a SEND is in memory (StoredRequests), and a server catching up reads changes
      // along the primary key: neither has an index. MessageIndexes makes RECIPIENT and PENDING
      // where the table generation leaves them out, and drops the indexes earlier versions made.
      @Index(name = StoredMessage.RECIPIENT_INDEX, columnList = "DESTINATION, ID"),
      @Index(name = StoredMessage.PENDING_INDEX, columnList = "DELIVERED, DESTINATION, ID")
    })
@NamedQuery(
    name = StoredMessage.INBOX_AFTER,
    query =
        "SELECT m FROM StoredMessage m WHERE m.destination = :destination AND m.id > :after"
            + " AND m.broadcast = FALSE AND m.deleted = FALSE ORDER BY m.id")
@NamedQuery(
    name = StoredMessage.DELETE_INBOX,
    query = "DELETE FROM StoredMessage m WHERE m.destination = :destination")
@NamedQuery(
    name = StoredMessage.UNDELIVERED_TO,
    query =
        "SELECT m FROM StoredMessage m WHERE m.destination = :destination"
            + " AND m.delivered = FALSE AND m.broadcast = FALSE AND m.deleted = FALSE"
            + " ORDER BY m.id")
@NamedQuery(
    name = StoredMessage.CHANGED_SINCE,
    query =
        "SELECT m FROM StoredMessage m WHERE m.revision >= :since AND m.id > :after ORDER BY m.id")
@NamedQuery(
    name = StoredMessage.UNDELIVERED_TO_AFTER,
    query =
        "SELECT m FROM StoredMessage m WHERE m.delivered = FALSE AND m.destination = :destination"
            + " AND m.id > :after AND m.deleted = FALSE AND m.broadcast = FALSE ORDER BY m.id")
@NamedQuery(
    name = StoredMessage.UNDELIVERED_AFTER_ID,
    query =
        "SELECT m FROM StoredMessage m WHERE m.id > :after AND m.delivered = FALSE"
            + " AND m.deleted = FALSE AND m.broadcast = FALSE ORDER BY m.id")
@NamedQuery(
    name = StoredMessage.INBOX,
    query =
        "SELECT m FROM StoredMessage m WHERE m.destination = :destination"
            + " AND m.deleted = FALSE ORDER BY m.id")
public class StoredMessage {

  /**
   * Messages changed at or after a revision, after an id; {@code since}, {@code after}: read along
   * the primary key (no index holds the revision), so a catch-up reads the table once, a page at a
   * time.
   */
  public static final String CHANGED_SINCE = "StoredMessage.changedSince";

  /**
   * Undelivered messages after an id, along the primary key: ids grow with time, so the messages
   * stored since an instant are a range of the key, read without touching older rows.
   */
  public static final String UNDELIVERED_AFTER_ID = "StoredMessage.undeliveredAfterId";

  /** A user's offline messages after an id, by id; {@code destination}, {@code after}. */
  public static final String UNDELIVERED_TO_AFTER = "StoredMessage.undeliveredToAfter";

  /** Every message of a user, by id: inbox pages. */
  public static final String RECIPIENT_INDEX = "IX_MESSAGES_RECIPIENT";

  /** Messages by delivered, user and id: a user's offline messages, and everyone's. */
  public static final String PENDING_INDEX = "IX_MESSAGES_PENDING";

  /** Offline messages of one user in the order sent; parameter {@code destination}. */
  public static final String UNDELIVERED_TO = "StoredMessage.undeliveredTo";

  /** A page of an inbox; parameters {@code destination}, {@code after} (an id). */
  public static final String INBOX_AFTER = "StoredMessage.inboxAfter";

  /** Empties an inbox; parameter {@code destination}. */
  public static final String DELETE_INBOX = "StoredMessage.deleteInbox";

  /** Every message of one user's inbox in the order sent; parameter {@code destination}. */
  public static final String INBOX = "StoredMessage.inbox";

  /** Longest message text stored, in characters. */
  public static final int MAX_TEXT = 1000;

  /** The same on every server ({@code IdClock}): time-ordered, unique across the deployment. */
  @Id private Long id;

  @Column(name = "RECEIVED_AT", nullable = false)
  private Instant receivedAt;

  @Column(name = "SOURCE", nullable = false, length = 32)
  private String source;

  @Column(name = "DESTINATION", nullable = false, length = 32)
  private String destination;

  @Column(name = "TEXT", nullable = false, length = MAX_TEXT)
  private String text;

  @Column(name = "DELIVERED", nullable = false)
  private boolean delivered;

  @Column(name = "READ_BY_RECIPIENT", nullable = false)
  private boolean read;

  /** Sent to everyone online: never kept as an offline message (seed S2.3). */
  @Column(name = "BROADCAST", nullable = false)
  private boolean broadcast;

  /** The session and sequence number of the request that stored it: a retry finds it again. */
  @Column(name = "SENDER_SESSION")
  private Long senderSession;

  @Column(name = "CLIENT_SEQ")
  private Long clientSeq;

  /** The channel it was sent to, or null for a message to one user. */
  @Column(name = "CHANNEL", length = 33)
  private String channel;

  /** Deleted by its recipient: kept without its text so no copy can bring it back. */
  @Column(name = "DELETED", nullable = false)
  private boolean deleted;

  /** When it last changed, by the deployment's revision clock: copies merge by it. */
  // a default, so that an older database gains the column (create-or-extend-tables)
  @Column(name = "REVISION", nullable = false, columnDefinition = "BIGINT DEFAULT 0 NOT NULL")
  private long revision;

  @Version private long version;

  protected StoredMessage() {}

  /** A new, undelivered message. */
  public StoredMessage(
      long id, String source, String destination, String text, Instant receivedAt) {
    this.id = id;
    this.source = Objects.requireNonNull(source, "source");
    this.destination = Objects.requireNonNull(destination, "destination");
    this.text = Objects.requireNonNull(text, "text");
    this.receivedAt = Objects.requireNonNull(receivedAt, "receivedAt");
  }

  /** A message stored for one request of a session, so that a retransmission finds it. */
  public StoredMessage(
      long id,
      String source,
      String destination,
      String text,
      Instant receivedAt,
      long senderSession,
      long clientSeq,
      boolean broadcast) {
    this(id, source, destination, text, receivedAt);
    this.senderSession = senderSession;
    this.clientSeq = clientSeq;
    this.broadcast = broadcast;
  }

  public Long id() {
    return id;
  }

  public Instant receivedAt() {
    return receivedAt;
  }

  public String source() {
    return source;
  }

  public String destination() {
    return destination;
  }

  public String text() {
    return text;
  }

  public boolean delivered() {
    return delivered;
  }

  /** The channel it was sent to, or null. */
  public String channel() {
    return channel;
  }

  /** Marks the message as one copy of a message to a channel. */
  public void sentTo(String channelName) {
    this.channel = channelName;
  }

  public boolean read() {
    return read;
  }

  public boolean broadcast() {
    return broadcast;
  }

  /** The recipient opened the message. */
  public void markRead() {
    this.read = true;
  }

  /** Marks the message delivered: the recipient acknowledged it. */
  public void markDelivered() {
    this.delivered = true;
  }

  public boolean deleted() {
    return deleted;
  }

  /** The recipient deleted it: only a tombstone without text stays. */
  public void markDeleted() {
    this.deleted = true;
    this.text = "";
  }

  public long revision() {
    return revision;
  }

  /** Records a change at a revision, always later than the one before. */
  public void revise(long at) {
    this.revision = Math.max(at, revision + 1);
  }

  /** The session that sent it, or 0 if the server made it. */
  public long senderSession() {
    return senderSession == null ? 0 : senderSession;
  }

  /** The sequence number of the request that sent it, or 0. */
  public long clientSeq() {
    return clientSeq == null ? 0 : clientSeq;
  }

  /** Copies a remote state that is further along: flags are only ever gained, never lost. */
  public boolean mergeFlags(boolean delivered, boolean read, boolean deleted, long revision) {
    boolean changed =
        (delivered && !this.delivered) || (read && !this.read) || (deleted && !this.deleted);
    if (delivered) {
      this.delivered = true;
    }
    if (read) {
      this.read = true;
    }
    if (deleted && !this.deleted) {
      markDeleted();
    }
    if (changed) {
      this.revision = Math.max(this.revision, revision);
    }
    return changed;
  }

  /** A copy from another server as this server first sees it. */
  public void replicaState(boolean delivered, boolean read, boolean deleted, long revision) {
    this.delivered = delivered;
    this.read = read;
    if (deleted) {
      markDeleted();
    }
    this.revision = revision;
  }
}
