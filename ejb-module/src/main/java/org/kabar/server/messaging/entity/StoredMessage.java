package org.kabar.server.messaging.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
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
      @Index(name = "IX_MESSAGES_INBOX", columnList = "DESTINATION, DELIVERED, RECEIVED_AT"),
      @Index(name = "IX_MESSAGES_UNDELIVERED", columnList = "DELIVERED, RECEIVED_AT"),
      @Index(name = "IX_MESSAGES_CLIENT_SEQ", columnList = "SENDER_SESSION, CLIENT_SEQ")
    })
@NamedQuery(
    name = StoredMessage.BY_CLIENT_SEQ,
    query =
        "SELECT m FROM StoredMessage m WHERE m.senderSession = :session AND m.clientSeq = :seq"
            + " ORDER BY m.id")
@NamedQuery(
    name = StoredMessage.INBOX_AFTER,
    query =
        "SELECT m FROM StoredMessage m WHERE m.destination = :destination AND m.id > :after"
            + " AND m.broadcast = FALSE ORDER BY m.id")
@NamedQuery(
    name = StoredMessage.DELETE_INBOX,
    query = "DELETE FROM StoredMessage m WHERE m.destination = :destination")
@NamedQuery(
    name = StoredMessage.UNDELIVERED_TO,
    query =
        "SELECT m FROM StoredMessage m WHERE m.destination = :destination"
            + " AND m.delivered = FALSE AND m.broadcast = FALSE ORDER BY m.id")
@NamedQuery(
    name = StoredMessage.INBOX,
    query =
        "SELECT m FROM StoredMessage m WHERE m.destination = :destination"
            + " ORDER BY m.receivedAt, m.id")
public class StoredMessage {

  /** Offline messages of one user in the order sent; parameter {@code destination}. */
  public static final String UNDELIVERED_TO = "StoredMessage.undeliveredTo";

  /** The messages one request stored; parameters {@code session}, {@code seq}. */
  public static final String BY_CLIENT_SEQ = "StoredMessage.byClientSeq";

  /** A page of an inbox; parameters {@code destination}, {@code after} (an id). */
  public static final String INBOX_AFTER = "StoredMessage.inboxAfter";

  /** Empties an inbox; parameter {@code destination}. */
  public static final String DELETE_INBOX = "StoredMessage.deleteInbox";

  /** Every message of one user's inbox in the order sent; parameter {@code destination}. */
  public static final String INBOX = "StoredMessage.inbox";

  /** Longest message text stored, in characters. */
  public static final int MAX_TEXT = 1000;

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

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

  @Version private long version;

  protected StoredMessage() {}

  /** A new, undelivered message. */
  public StoredMessage(String source, String destination, String text, Instant receivedAt) {
    this.source = Objects.requireNonNull(source, "source");
    this.destination = Objects.requireNonNull(destination, "destination");
    this.text = Objects.requireNonNull(text, "text");
    this.receivedAt = Objects.requireNonNull(receivedAt, "receivedAt");
  }

  /** A message stored for one request of a session, so that a retransmission finds it. */
  public StoredMessage(
      String source,
      String destination,
      String text,
      Instant receivedAt,
      long senderSession,
      long clientSeq,
      boolean broadcast) {
    this(source, destination, text, receivedAt);
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
}
