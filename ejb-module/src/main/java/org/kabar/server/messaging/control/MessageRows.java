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
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.kabar.protocol.peer.MessageRecord;

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

  /** What merging one copy from another server did to the table. */
  public enum Merged {
    /** Inserted, still to be delivered. */
    INSERTED_UNDELIVERED,
    /** Inserted already delivered or deleted. */
    INSERTED_DONE,
    /** The row gained a flag. */
    GAINED,
    /** Nothing new. */
    SAME,
    /** The row here has a flag the copy lacks: the sender is behind. */
    AHEAD,
    /** For a user not known here: nothing written. */
    UNKNOWN_USER
  }

  /** A message's flags as the table holds them. */
  static final String STATE_OF =
      "SELECT DELIVERED, READ_BY_RECIPIENT, DELETED FROM MESSAGES WHERE ID = ?";

  /** A copy first seen here, with its flags. */
  static final String INSERT_COPY =
      "INSERT INTO MESSAGES (ID, SOURCE, DESTINATION, TEXT, RECEIVED_AT, SENDER_SESSION,"
          + " CLIENT_SEQ, BROADCAST, CHANNEL, REVISION, DELIVERED, READ_BY_RECIPIENT, DELETED,"
          + " VERSION) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)";

  /**
   * Flags a copy brings: each only ever gained (a change committed meanwhile by another thread is
   * kept), a deleted message loses its text, the revision moves to the copy's if that is later.
   */
  static final String GAIN =
      "UPDATE MESSAGES SET DELIVERED = CASE WHEN ? = 1 THEN 1 ELSE DELIVERED END,"
          + " READ_BY_RECIPIENT = CASE WHEN ? = 1 THEN 1 ELSE READ_BY_RECIPIENT END,"
          + " DELETED = CASE WHEN ? = 1 THEN 1 ELSE DELETED END,"
          + " TEXT = CASE WHEN ? = 1 THEN '' ELSE TEXT END,"
          + " REVISION = CASE WHEN REVISION < ? THEN ? ELSE REVISION END, VERSION = VERSION + 1"
          + " WHERE ID = ?";

  /**
   * Merges copies of messages from other servers: a copy first seen is inserted with its flags (if
   * its recipient is known here), a copy of a row held adds the flags it brings. Flags only ever
   * gain, so copies merge in any order and any number of times. The rows are taken in id order, as
   * {@link #acknowledge} takes them, so batches running at once wait for each other instead of
   * deadlocking. Plain statements, one read per copy and one batch of inserts and one of updates,
   * in the caller's transaction.
   *
   * <p>A copy first seen here of a request this server stored under another id (its sender asked
   * again at this server before the first copy came: a failover, a retry) is the same message
   * twice: the one held here wins, and the copy is kept as a tombstone (delivered and deleted), so
   * no one is shown it twice from here.
   *
   * @param known whether a recipient's account exists here
   * @param storedBy the ids a sender's request (session, sequence number) stored here, or null
   * @return what each copy did, in the order given
   */
  public List<Merged> merge(List<MessageRecord> copies, Predicate<String> known, StoredBy storedBy)
      throws SQLException {
    List<Integer> order = new ArrayList<>(copies.size());
    for (int i = 0; i < copies.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingLong(i -> copies.get(i).id()));
    Merged[] merged = new Merged[copies.size()];
    Map<Long, Integer> flagsHere = new HashMap<>(); // as this batch leaves them
    try (PreparedStatement state = connection.prepareStatement(STATE_OF);
        PreparedStatement insert = connection.prepareStatement(INSERT_COPY);
        PreparedStatement gain = connection.prepareStatement(GAIN)) {
      boolean inserts = false;
      boolean gains = false;
      for (int i : order) {
        MessageRecord copy = copies.get(i);
        int brought =
            copy.flags() & (MessageRecord.DELIVERED | MessageRecord.READ | MessageRecord.DELETED);
        Integer here = flagsHere.get(copy.id());
        if (here == null) {
          here = flagsOf(state, copy.id());
        }
        if (here == null) {
          if (!known.test(copy.to())) {
            merged[i] = Merged.UNKNOWN_USER;
            continue;
          }
          if (brought == 0 && storedTwice(copy, storedBy)) {
            brought = MessageRecord.DELIVERED | MessageRecord.DELETED;
            copy =
                new MessageRecord(
                    copy.id(),
                    copy.revision(),
                    copy.flags() | brought,
                    copy.receivedAtMillis(),
                    copy.from(),
                    copy.to(),
                    copy.channel(),
                    copy.senderSession(),
                    copy.clientSeq(),
                    "");
          }
          addInsert(insert, copy);
          inserts = true;
          flagsHere.put(copy.id(), brought);
          merged[i] = brought == 0 ? Merged.INSERTED_UNDELIVERED : Merged.INSERTED_DONE;
          continue;
        }
        int after = here | brought;
        if (after != here) {
          gain.setInt(1, (brought & MessageRecord.DELIVERED) != 0 ? 1 : 0);
          gain.setInt(2, (brought & MessageRecord.READ) != 0 ? 1 : 0);
          gain.setInt(3, (brought & MessageRecord.DELETED) != 0 ? 1 : 0);
          gain.setInt(4, (brought & MessageRecord.DELETED) != 0 ? 1 : 0);
          gain.setLong(5, copy.revision());
          gain.setLong(6, copy.revision());
          gain.setLong(7, copy.id());
          gain.addBatch();
          gains = true;
          flagsHere.put(copy.id(), after);
        }
        merged[i] =
            (here & ~brought) != 0 ? Merged.AHEAD : after != here ? Merged.GAINED : Merged.SAME;
      }
      if (inserts) {
        insert.executeBatch();
      }
      if (gains) {
        gain.executeBatch();
      }
    }
    return List.of(merged);
  }

  /** The ids a sender's request stored here: the duplicate check's memory. */
  @FunctionalInterface
  public interface StoredBy {
    /** The ids the request (session, sequence number) stored here, or null if none. */
    long[] ids(long session, long seq);
  }

  /** Whether this server holds the copy's request under another id for the same recipient. */
  private boolean storedTwice(MessageRecord copy, StoredBy storedBy) throws SQLException {
    if (copy.senderSession() == 0) {
      return false; // a server's notice: no request
    }
    long[] ids = storedBy.ids(copy.senderSession(), copy.clientSeq());
    if (ids == null) {
      return false;
    }
    for (StoredRow row : rows(ids)) {
      if (row.id() != copy.id() && row.destination().equals(copy.to())) {
        return true;
      }
    }
    return false;
  }

  private static Integer flagsOf(PreparedStatement state, long id) throws SQLException {
    state.setLong(1, id);
    try (ResultSet row = state.executeQuery()) {
      if (!row.next()) {
        return null;
      }
      return (row.getShort(1) != 0 ? MessageRecord.DELIVERED : 0)
          | (row.getShort(2) != 0 ? MessageRecord.READ : 0)
          | (row.getShort(3) != 0 ? MessageRecord.DELETED : 0);
    }
  }

  private static void addInsert(PreparedStatement insert, MessageRecord copy) throws SQLException {
    insert.setLong(1, copy.id());
    insert.setString(2, copy.from());
    insert.setString(3, copy.to());
    insert.setString(4, copy.has(MessageRecord.DELETED) ? "" : copy.text());
    insert.setTimestamp(5, new Timestamp(copy.receivedAtMillis()));
    insert.setLong(6, copy.senderSession());
    insert.setLong(7, copy.clientSeq());
    insert.setShort(8, (short) (copy.has(MessageRecord.BROADCAST) ? 1 : 0));
    if (copy.channel() == null) {
      insert.setNull(9, Types.VARCHAR);
    } else {
      insert.setString(9, copy.channel());
    }
    insert.setLong(10, copy.revision());
    insert.setShort(11, (short) (copy.has(MessageRecord.DELIVERED) ? 1 : 0));
    insert.setShort(12, (short) (copy.has(MessageRecord.READ) ? 1 : 0));
    insert.setShort(13, (short) (copy.has(MessageRecord.DELETED) ? 1 : 0));
    insert.addBatch();
  }

  @Override
  public void close() {
    // every statement is closed where it ran
  }
}
