package org.kabar.systemtest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Reads a stopped node's embedded Derby database directly, as an operator's backup check would. */
final class NodeDatabase {

  private NodeDatabase() {}

  static Path directory(NodeProcess.Settings node) {
    return node.data().resolve("db");
  }

  static boolean lockLeft(NodeProcess.Settings node) {
    return Files.exists(directory(node).resolve("db.lck"));
  }

  /** The server list's rows as "ID ADDRESS:PORT", in id order. */
  static List<String> serverList(NodeProcess.Settings node) throws SQLException {
    return rows(
        node,
        "SELECT ID, ADDRESS, PORT FROM KABAR.SERVER_LIST ORDER BY ID",
        row -> row.getLong(1) + " " + row.getString(2) + ":" + row.getInt(3));
  }

  /** The names of the Messages table's indexes made by name (IX_...), sorted. */
  static List<String> messageIndexes(NodeProcess.Settings node) throws SQLException {
    return rows(
        node,
        "SELECT c.CONGLOMERATENAME FROM SYS.SYSCONGLOMERATES c"
            + " JOIN SYS.SYSTABLES t ON c.TABLEID = t.TABLEID"
            + " JOIN SYS.SYSSCHEMAS s ON t.SCHEMAID = s.SCHEMAID"
            + " WHERE s.SCHEMANAME = 'KABAR' AND t.TABLENAME = 'MESSAGES'"
            + " AND c.ISINDEX AND c.CONGLOMERATENAME LIKE 'IX\\_%' ESCAPE '\\'"
            + " ORDER BY c.CONGLOMERATENAME",
        row -> row.getString(1));
  }

  /** Runs statements on a stopped node's database, as an operator (or an older version) would. */
  static void execute(NodeProcess.Settings node, String... statements) throws SQLException {
    inDatabase(
        node,
        statement -> {
          for (String sql : statements) {
            statement.execute(sql);
          }
          return null;
        });
  }

  /** One column of a query's rows, read by {@code column}. */
  private static List<String> rows(NodeProcess.Settings node, String query, Column column)
      throws SQLException {
    return inDatabase(
        node,
        statement -> {
          List<String> rows = new ArrayList<>();
          try (ResultSet result = statement.executeQuery(query)) {
            while (result.next()) {
              rows.add(column.of(result));
            }
          }
          return rows;
        });
  }

  private interface Column {
    String of(ResultSet row) throws SQLException;
  }

  private interface Work<T> {
    T on(Statement statement) throws SQLException;
  }

  /** Opens the stopped node's database, does the work and shuts the database down again. */
  private static <T> T inDatabase(NodeProcess.Settings node, Work<T> work) throws SQLException {
    String url = "jdbc:derby:" + directory(node);
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      return work.on(statement);
    } finally {
      shutdown(url);
    }
  }

  private static void shutdown(String url) {
    try {
      DriverManager.getConnection(url + ";shutdown=true").close();
    } catch (SQLException expected) {
      // Derby reports a successful shutdown as an exception (SQLState 08006)
    }
  }
}
