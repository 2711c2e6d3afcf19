package org.kabar.server.messaging.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kabar.server.messaging.control.MessageRows.Ack;
import org.kabar.server.messaging.control.MessageRows.NewRow;
import org.kabar.server.messaging.control.MessageRows.StoredRow;

/**
 * The statements on a real (in-memory) Derby, on the Messages table as the persistence unit creates
 * it; the node's tests (MailboxIT, MessengerIT) run them on the table JPA made.
 */
class MessageRowsTest {

  private static final AtomicInteger DATABASES = new AtomicInteger();

  private Connection connection;

  @BeforeEach
  void createTable() throws SQLException {
    connection =
        DriverManager.getConnection(
            "jdbc:derby:memory:rows" + DATABASES.incrementAndGet() + ";create=true");
    try (Statement ddl = connection.createStatement()) {
      ddl.execute(
          "CREATE TABLE MESSAGES (ID BIGINT NOT NULL PRIMARY KEY,"
              + " BROADCAST SMALLINT NOT NULL DEFAULT 0, CHANNEL VARCHAR(33), CLIENT_SEQ BIGINT,"
              + " DELETED SMALLINT NOT NULL DEFAULT 0, DELIVERED SMALLINT NOT NULL DEFAULT 0,"
              + " DESTINATION VARCHAR(32) NOT NULL,"
              + " READ_BY_RECIPIENT SMALLINT NOT NULL DEFAULT 0, RECEIVED_AT TIMESTAMP NOT NULL,"
              + " REVISION BIGINT NOT NULL DEFAULT 0, SENDER_SESSION BIGINT,"
              + " SOURCE VARCHAR(32) NOT NULL, TEXT VARCHAR(1000) NOT NULL, VERSION BIGINT)");
    }
  }

  @AfterEach
  void close() throws SQLException {
    if (!connection.getAutoCommit()) {
      connection.rollback();
    }
    connection.close();
  }

  private static NewRow row(long id, String to, long session, long seq, String channel) {
    return new NewRow(
        id,
        "alice",
        to,
        "hello " + id,
        Instant.parse("2026-11-30T10:00:00.123456Z"),
        session,
        seq,
        false,
        channel,
        1000);
  }

  private long column(long id, String column) throws SQLException {
    try (Statement query = connection.createStatement();
        ResultSet row =
            query.executeQuery("SELECT " + column + " FROM MESSAGES WHERE ID = " + id)) {
      assertTrue(row.next(), "row " + id);
      return row.getLong(1);
    }
  }

  @Test
  void aRequestFindsTheRowsItStoredInIdOrder() throws SQLException {
    try (MessageRows rows = new MessageRows(connection)) {
      rows.insert(List.of(row(12, "carol", 7, 3, "#team"), row(11, "bob", 7, 3, "#team")));
      rows.insert(List.of(row(13, "bob", 7, 4, null)));

      assertEquals(
          List.of(new StoredRow(11, "bob"), new StoredRow(12, "carol")),
          rows.storedBy(7, 3, null, 0));
      assertEquals(List.of(new StoredRow(13, "bob")), rows.storedBy(7, 4, "bob", 0));
      assertEquals(List.of(), rows.storedBy(7, 4, "carol", 0), "asked among carol's");
      assertEquals(List.of(), rows.storedBy(7, 4, "bob", 14), "older than the range asked");
      assertEquals(List.of(), rows.storedBy(8, 3, null, 0), "another session's sequence numbers");
      assertEquals(
          List.of(new StoredRow(11, "bob"), new StoredRow(13, "bob")),
          rows.rows(new long[] {13, 99, 11}),
          "the rows of remembered ids, with their recipients; no row 99");
    }
    assertEquals(0, column(11, "DELIVERED"), "new rows are undelivered");
    assertEquals(1, column(11, "VERSION"), "as JPA's first version");
    assertEquals(1000, column(11, "REVISION"));
  }

  @Test
  void theRequestsOfNewerMessagesAreFoundForTheDuplicateCheck() throws SQLException {
    try (MessageRows rows = new MessageRows(connection)) {
      rows.insert(
          List.of(
              row(61, "bob", 7, 1, null),
              row(62, "bob", 7, 2, null),
              row(63, "carol", 0, 0, null), // a notice: no request
              row(64, "carol", 8, 5, "#team")));

      assertEquals(
          List.of(new MessageRows.Request(7, 2, 62), new MessageRows.Request(8, 5, 64)),
          rows.requestsSince(62).stream()
              .sorted(java.util.Comparator.comparingLong(MessageRows.Request::id))
              .toList());
    }
  }

  @Test
  void anAckMarksOnlyTheRecipientsMessageDelivered() throws SQLException {
    try (MessageRows rows = new MessageRows(connection)) {
      rows.insert(List.of(row(21, "bob", 7, 1, null), row(22, "bob", 7, 2, null)));

      List<Boolean> found =
          rows.acknowledge(
              List.of(
                  new Ack("bob", 21, 2000),
                  new Ack("carol", 22, 2001), // not carol's
                  new Ack("bob", 99, 2002), // no such message
                  new Ack("bob", 21, 2003))); // the same ACK again: still found

      assertEquals(List.of(true, false, false, true), found);
    }
    assertEquals(1, column(21, "DELIVERED"));
    assertEquals(0, column(22, "DELIVERED"), "carol's ACK changed nothing");
    assertEquals(2000, column(21, "REVISION"), "changed once, at the first ACK's revision");
    assertEquals(2, column(21, "VERSION"), "a JPA change made meanwhile fails its version check");
    assertEquals(1, column(22, "VERSION"));
  }

  @Test
  void aRevisionNeverMovesBack() throws SQLException {
    try (MessageRows rows = new MessageRows(connection)) {
      rows.insert(List.of(row(31, "bob", 7, 1, null)));
      // the row came from a server whose clock is ahead: the change is still a later revision
      try (Statement ahead = connection.createStatement()) {
        ahead.executeUpdate("UPDATE MESSAGES SET REVISION = 5000 WHERE ID = 31");
      }

      assertEquals(List.of(true), rows.acknowledge(List.of(new Ack("bob", 31, 3000))));
    }
    assertEquals(5001, column(31, "REVISION"));
  }

  @Test
  void aDeletedMessageIsNotAcknowledged() throws SQLException {
    try (MessageRows rows = new MessageRows(connection)) {
      rows.insert(List.of(row(41, "bob", 7, 1, null)));
      try (Statement delete = connection.createStatement()) {
        delete.executeUpdate("UPDATE MESSAGES SET DELETED = 1 WHERE ID = 41");
      }

      assertEquals(List.of(false), rows.acknowledge(List.of(new Ack("bob", 41, 3000))));
    }
    assertEquals(0, column(41, "DELIVERED"));
  }

  @Test
  void aBatchWithARowStoredBeforeFailsWhole() throws SQLException {
    connection.setAutoCommit(false);
    try (MessageRows rows = new MessageRows(connection)) {
      rows.insert(List.of(row(51, "bob", 7, 1, null)));
      connection.commit();

      assertThrows(
          SQLException.class,
          () -> rows.insert(List.of(row(52, "bob", 7, 2, null), row(51, "bob", 7, 1, null))));
      connection.rollback(); // as the container does: the group commit then runs each alone
      assertEquals(List.of(), rows.storedBy(7, 2, null, 0));
    }
  }
}
