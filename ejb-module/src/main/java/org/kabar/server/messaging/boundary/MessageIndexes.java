package org.kabar.server.messaging.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.kabar.server.messaging.control.MessageRows;
import org.kabar.server.messaging.control.StoredRequests;
import org.kabar.server.messaging.entity.StoredMessage;
import org.kabar.server.node.IdClock;
import org.kabar.server.node.NodeResources;

/**
 * Prepares the Messages table when the node starts. {@link StoredMessage#RECIPIENT_INDEX} and
 * {@link StoredMessage#PENDING_INDEX} are made here if missing: on a database of an earlier
 * version, which the persistence unit extends with tables and columns but not indexes, and on a new
 * one too, where its table generation leaves out these two (both hold the primary key's column).
 * Then the indexes earlier versions made are dropped: left, each would cost every message an
 * update. The new ones are made first, so every query keeps an index. Several nodes starting on one
 * shared database may race: an index made or dropped by another meanwhile is fine.
 *
 * <p>Last, the duplicate check ({@link StoredRequests}) learns the requests of the messages stored
 * in its last {@link StoredRequests#KEEP}, read along the primary key (ids grow with time), so that
 * a request retransmitted across a restart finds what it stored.
 */
@Singleton
@Startup
@DependsOn("EmbeddedDatabase")
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class MessageIndexes {

  private static final Logger LOG = Logger.getLogger(MessageIndexes.class.getName());

  /** Derby's SQL state for "already exists". */
  private static final String EXISTS = "X0Y32";

  /** Derby's SQL state for "index does not exist". */
  private static final String NO_SUCH_INDEX = "42X65";

  /**
   * The indexes earlier versions made, no longer used: two keyed on the delivered flag and the
   * time, which an ACK rewrote; the duplicate check's, now in memory; the revision's, which an ACK
   * rewrote too.
   */
  static final List<String> DROPPED =
      List.of(
          "IX_MESSAGES_INBOX",
          "IX_MESSAGES_UNDELIVERED",
          "IX_MESSAGES_CLIENT_SEQ",
          "IX_MESSAGES_REVISION");

  /** The indexes that replace them, with their columns (as the entity declares them). */
  static final Map<String, String> ADDED = new LinkedHashMap<>();

  static {
    ADDED.put(StoredMessage.RECIPIENT_INDEX, "(DESTINATION, ID)");
    ADDED.put(StoredMessage.PENDING_INDEX, "(DELIVERED, DESTINATION, ID)");
  }

  @Resource(lookup = NodeResources.DATA_SOURCE)
  DataSource dataSource;

  @Inject StoredRequests requests;

  @PostConstruct
  void upgrade() {
    try (Connection connection = dataSource.getConnection();
        Statement ddl = connection.createStatement()) {
      connection.setAutoCommit(true);
      for (Map.Entry<String, String> index : ADDED.entrySet()) {
        run(
            ddl,
            "CREATE INDEX " + index.getKey() + " ON MESSAGES " + index.getValue(),
            "made index " + index.getKey(),
            EXISTS);
      }
      for (String index : DROPPED) {
        run(
            ddl,
            "DROP INDEX " + index,
            "dropped index " + index + ", no longer used",
            NO_SUCH_INDEX);
      }
    } catch (SQLException e) {
      LOG.warning("the Messages table's indexes were not checked: " + e.getMessage());
    }
    loadRecentRequests();
  }

  private void loadRecentRequests() {
    long fromId = IdClock.firstIdAt(System.currentTimeMillis() - StoredRequests.KEEP.toMillis());
    try (Connection connection = dataSource.getConnection();
        MessageRows table = new MessageRows(connection)) {
      long start = System.nanoTime();
      List<MessageRows.Request> recent = table.requestsSince(fromId);
      recent.forEach(r -> requests.stored(r.session(), r.seq(), r.id()));
      long millis = (System.nanoTime() - start) / 1_000_000;
      LOG.info(
          () ->
              "duplicate check: "
                  + recent.size()
                  + " messages of the last "
                  + StoredRequests.KEEP.toSeconds()
                  + " s loaded ("
                  + millis
                  + " ms)");
    } catch (SQLException e) {
      LOG.warning(
          "the recent requests were not loaded, a request retransmitted across this restart may"
              + " be stored twice: "
              + e.getMessage());
    } finally {
      requests.loaded();
    }
  }

  private static void run(Statement ddl, String statement, String done, String alreadyDone) {
    try {
      long start = System.nanoTime();
      ddl.execute(statement);
      long millis = (System.nanoTime() - start) / 1_000_000;
      LOG.info(() -> "Messages table: " + done + " (" + millis + " ms)");
    } catch (SQLException e) {
      if (!alreadyDone.equals(e.getSQLState())) {
        LOG.warning(() -> "Messages table: " + statement + " failed: " + e.getMessage());
      }
    }
  }
}
