package org.kabar.server.messaging.control;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The statements every message costs, on the Messages table that {@code StoredMessage} maps: the
 * insert and the acknowledgement; and those of the duplicate check, which asks the table only when
 * memory cannot answer ({@link StoredRequests}). They are plain JDBC on the caller's connection
 * (inside its transaction), because through JPA they cost a persistence context, change tracking at
 * commit and, for an ACK, reading the row before updating it; here an ACK is one UPDATE. Nothing
 * caches the table's rows (the persistence unit's shared cache is off), so JPA's later reads see
 * these writes.
 *
 * <p>An update adds a flag and moves the row's revision and version on, as JPA's would: a JPA
 * change of the same row made meanwhile fails its version check and is run again.
 */
public final class MessageRows implements AutoCloseable {

  /** A row to insert: a new, undelivered message. */
  public record NewRow(
      long id,
      String source,
      String destination,
      String text,
      Instant receivedAt,
      long senderSession,
      long clientSeq,
      boolean broadcast,
      String channel,
      long revision) {

    public NewRow {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(destination, "destination");
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(receivedAt, "receivedAt");
    }
  }

  /** A row one request stored: its id and recipient. */
  public record StoredRow(long id, String destination) {}

  /** An acknowledgement to record: the user's message, and the revision of the change. */
  public record Ack(String username, long id, long revision) {}

  /** A request's rows among a recipient's newer ones: the recipient's index, a short range. */
  static final String STORED_BY_FOR =
      "SELECT ID, DESTINATION FROM MESSAGES WHERE DESTINATION = ? AND ID >= ?"
          + " AND SENDER_SESSION = ? AND CLIENT_SEQ = ?";

  /** A request's rows among all newer ones: the primary key, a range of recent messages. */
  static final String STORED_BY_SINCE =
      "SELECT ID, DESTINATION FROM MESSAGES WHERE ID >= ? AND SENDER_SESSION = ? AND CLIENT_SEQ = ?";

  /** The recipient of a message. */
  static final String DESTINATION_OF = "SELECT DESTINATION FROM MESSAGES WHERE ID = ?";

  /** The requests that stored the newer messages: what the duplicate check reloads at start. */
  static final String REQUESTS_SINCE =
      "SELECT ID, SENDER_SESSION, CLIENT_SEQ FROM MESSAGES WHERE ID >= ?"
          + " AND SENDER_SESSION IS NOT NULL AND SENDER_SESSION <> 0";

  static final String INSERT =
      "INSERT INTO MESSAGES (ID, SOURCE, DESTINATION, TEXT, RECEIVED_AT, SENDER_SESSION,"
          + " CLIENT_SEQ, BROADCAST, CHANNEL, REVISION, DELIVERED, READ_BY_RECIPIENT, DELETED,"
          + " VERSION) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 1)";

  /** Marks a message delivered unless it is already, or deleted, or someone else's. */
  static final String ACKNOWLEDGE =
      "UPDATE MESSAGES SET DELIVERED = 1, VERSION = VERSION + 1,"
          + " REVISION = CASE WHEN REVISION < ? THEN ? ELSE REVISION + 1 END"
          + " WHERE ID = ? AND DESTINATION = ? AND DELIVERED = 0 AND DELETED = 0";

  /** Whether a message of this user exists and is not deleted. */
  static final String MINE =
      "SELECT 1 FROM MESSAGES WHERE ID = ? AND DESTINATION = ? AND DELETED = 0";

  private final Connection connection;

  /** Statements on this connection; closing closes them, not the connection. */
  public MessageRows(Connection connection) {
    this.connection = Objects.requireNonNull(connection);
  }

  /** A request that stored a message: its session, its sequence number, the message's id. */
  public record Request(long session, long seq, long id) {}

  /**
   * The rows a request stored, found in the table: among a recipient's messages from {@code fromId}
   * on if the request named one user, else among all of them (a longer range); by id.
   *
   * @param destination the one recipient, or null (a channel, everyone)
   */
  public List<StoredRow> storedBy(long session, long seq, String destination, long fromId)
      throws SQLException {
    List<StoredRow> rows = new ArrayList<>(1);
    try (PreparedStatement query =
        connection.prepareStatement(destination != null ? STORED_BY_FOR : STORED_BY_SINCE)) {
      int next = 1;
      if (destination != null) {
        query.setString(next++, destination);
      }
      query.setLong(next++, fromId);
      query.setLong(next++, session);
      query.setLong(next, seq);
      try (ResultSet found = query.executeQuery()) {
        while (found.next()) {
          rows.add(new StoredRow(found.getLong(1), found.getString(2)));
        }
      }
    }
    rows.sort(Comparator.comparingLong(StoredRow::id)); // no ORDER BY: a sort costs Derby more
    return rows;
  }

  /** The rows with these ids, with their recipients, by id; those not found are left out. */
  public List<StoredRow> rows(long[] ids) throws SQLException {
    List<StoredRow> rows = new ArrayList<>(ids.length);
    try (PreparedStatement query = connection.prepareStatement(DESTINATION_OF)) {
      for (long id : ids) {
        query.setLong(1, id);
        try (ResultSet found = query.executeQuery()) {
          if (found.next()) {
            rows.add(new StoredRow(id, found.getString(1)));
          }
        }
      }
    }
    rows.sort(Comparator.comparingLong(StoredRow::id));
    return rows;
  }

  /**
   * The requests that stored the messages from {@code fromId} on, as the primary key finds them.
   */
  public List<Request> requestsSince(long fromId) throws SQLException {
    List<Request> requests = new ArrayList<>();
    try (PreparedStatement query = connection.prepareStatement(REQUESTS_SINCE)) {
      query.setLong(1, fromId);
      try (ResultSet found = query.executeQuery()) {
        while (found.next()) {
          requests.add(new Request(found.getLong(2), found.getLong(3), found.getLong(1)));
        }
      }
    }
    return requests;
  }

  /** Inserts new messages, in one batch. */
  public void insert(List<NewRow> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
      for (NewRow row : rows) {
        insert.setLong(1, row.id());
        insert.setString(2, row.source());
        insert.setString(3, row.destination());
        insert.setString(4, row.text());
        insert.setTimestamp(5, Timestamp.from(row.receivedAt()));
        insert.setLong(6, row.senderSession());
        insert.setLong(7, row.clientSeq());
        insert.setShort(8, (short) (row.broadcast() ? 1 : 0));
        if (row.channel() == null) {
          insert.setNull(9, Types.VARCHAR);
        } else {
          insert.setString(9, row.channel());
        }
        insert.setLong(10, row.revision());
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /**
   * Marks messages delivered (the seed's Delivered = 1), in one batch: for each, whether it is a
   * message of that user, not deleted (then it is delivered now, if it was not already). The rows
   * are updated in id order, so two batches running at once that acknowledge the same messages (an
   * ACK and its retransmission) wait for each other instead of deadlocking (Derby looks for a
   * deadlock only after 20 s, then fails one batch).
   */
  public List<Boolean> acknowledge(List<Ack> acks) throws SQLException {
    if (acks.isEmpty()) {
      return List.of();
    }
    List<Ack> inIdOrder = acks.stream().sorted(Comparator.comparingLong(Ack::id)).toList();
    Map<Ack, Boolean> found = new IdentityHashMap<>();
    int[] changed;
    try (PreparedStatement update = connection.prepareStatement(ACKNOWLEDGE)) {
      for (Ack ack : inIdOrder) {
        update.setLong(1, ack.revision());
        update.setLong(2, ack.revision());
        update.setLong(3, ack.id());
        update.setString(4, ack.username());
        update.addBatch();
      }
      changed = update.executeBatch();
    }
    PreparedStatement mine = null;
    try {
      for (int i = 0; i < inIdOrder.size(); i++) {
        Ack ack = inIdOrder.get(i);
        if (changed[i] > 0) {
          found.put(ack, true);
          continue;
        }
        // delivered before (an ACK sent again), deleted, someone else's or no such message
        if (mine == null) {
          mine = connection.prepareStatement(MINE);
        }
        mine.setLong(1, ack.id());
        mine.setString(2, ack.username());
        try (ResultSet row = mine.executeQuery()) {
          found.put(ack, row.next());
        }
      }
    } finally {
      if (mine != null) {
        mine.close();
      }
    }
    return acks.stream().map(found::get).toList();
  }

  @Override
  public void close() {
    // every statement is closed where it ran
  }
}
