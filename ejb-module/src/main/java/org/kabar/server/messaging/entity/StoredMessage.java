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
      @Index(name = "IX_MESSAGES_UNDELIVERED", columnList = "DELIVERED, RECEIVED_AT")
    })
@NamedQuery(
    name = StoredMessage.UNDELIVERED_TO,
    query =
        "SELECT m FROM StoredMessage m WHERE m.destination = :destination"
            + " AND m.delivered = FALSE ORDER BY m.receivedAt, m.id")
@NamedQuery(
    name = StoredMessage.INBOX,
    query =
        "SELECT m FROM StoredMessage m WHERE m.destination = :destination"
            + " ORDER BY m.receivedAt, m.id")
public class StoredMessage {

  /** Offline messages of one user in the order sent; parameter {@code destination}. */
  public static final String UNDELIVERED_TO = "StoredMessage.undeliveredTo";

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

  @Version private long version;

  protected StoredMessage() {}

  /** A new, undelivered message. */
  public StoredMessage(String source, String destination, String text, Instant receivedAt) {
    this.source = Objects.requireNonNull(source, "source");
    this.destination = Objects.requireNonNull(destination, "destination");
    this.text = Objects.requireNonNull(text, "text");
    this.receivedAt = Objects.requireNonNull(receivedAt, "receivedAt");
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

  /** Marks the message delivered: the recipient acknowledged it. */
  public void markDelivered() {
    this.delivered = true;
  }
}
