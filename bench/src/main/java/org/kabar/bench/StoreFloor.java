package org.kabar.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.kabar.server.messaging.control.MessageRows;
import org.kabar.server.messaging.control.MessageRows.Ack;
import org.kabar.server.messaging.control.MessageRows.NewRow;

/**
 * The floor under the node's throughput: the statements the node runs for every message ({@link
 * MessageRows}: a SEND's duplicate check and insert, its ACK's update), in batches as the node's
 * group commit makes them, each batch one durable commit, on embedded Derby in this JVM, and
 * nothing else: no application server, no network, no load generator sharing the cores. {@code
 * StoreFloor [--seconds S] [--warmup S] [--threads T] [--batch B] [--out DIR]}.
 *
 * <p>It runs once per {@link #variants() variant}, on a fresh database each time: the Messages
 * table's indexes as the node has them, then the store's levers in turn (the duplicate check from
 * memory instead of its index, no revision index, SENDs sharing their commit with ACKs, only the
 * recipient's index), so that the report shows what each costs.
 */
public final class StoreFloor {

  /** The Messages table as the node's persistence unit creates it (Derby's dblook of a node). */
  static final String TABLE =
      "CREATE TABLE MESSAGES (ID BIGINT NOT NULL PRIMARY KEY,"
          + " BROADCAST SMALLINT NOT NULL DEFAULT 0, CHANNEL VARCHAR(33), CLIENT_SEQ BIGINT,"
          + " DELETED SMALLINT NOT NULL DEFAULT 0, DELIVERED SMALLINT NOT NULL DEFAULT 0,"
          + " DESTINATION VARCHAR(32) NOT NULL, READ_BY_RECIPIENT SMALLINT NOT NULL DEFAULT 0,"
          + " RECEIVED_AT TIMESTAMP NOT NULL, REVISION BIGINT NOT NULL DEFAULT 0,"
          + " SENDER_SESSION BIGINT, SOURCE VARCHAR(32) NOT NULL, TEXT VARCHAR(1000) NOT NULL,"
          + " VERSION BIGINT)";

  /** The duplicate check's index, before the check moved to memory. */
  static final String CLIENT_SEQ_INDEX =
      "CREATE INDEX IX_MESSAGES_CLIENT_SEQ ON MESSAGES (SENDER_SESSION, CLIENT_SEQ)";

  /**
   * The indexes beside the primary key and the duplicate check's that the node had before, by a
   * short name: a user's messages in order (inbox pages), the undelivered ones by recipient
   * (offline messages, the periodic copy), changes since a revision (a server catching up, now
   * along the primary key). An ACK changes entries in the last two only.
   */
  static final Map<String, String> OTHER_INDEXES = new LinkedHashMap<>();

  static {
    OTHER_INDEXES.put(
        "recipient", "CREATE INDEX IX_MESSAGES_RECIPIENT ON MESSAGES (DESTINATION, ID)");
    OTHER_INDEXES.put(
        "pending", "CREATE INDEX IX_MESSAGES_PENDING ON MESSAGES (DELIVERED, DESTINATION, ID)");
    OTHER_INDEXES.put("revision", "CREATE INDEX IX_MESSAGES_REVISION ON MESSAGES (REVISION)");
  }

  /** The duplicate check through its index, as the node ran it before. */
  static final String STORED_BY =
      "SELECT ID, DESTINATION FROM MESSAGES WHERE SENDER_SESSION = ? AND CLIENT_SEQ = ?";

  private static boolean storedBefore(PreparedStatement earlier, long session, long seq)
      throws SQLException {
    earlier.setLong(1, session);
    earlier.setLong(2, seq);
    try (ResultSet found = earlier.executeQuery()) {
      return found.next();
    }
  }

  /** Users the messages go to, as in the throughput scenario's 50 pairs. */
  private static final int RECIPIENTS = 50;

  private StoreFloor() {}

  /** One run's figures. */
  record Result(String label, double seconds, long messages, List<Long> perSecond) {
    double perSecondAverage() {
      return messages / seconds;
    }
  }

  /**
   * One way of storing: the indexes beside the primary key, whether the duplicate check reads the
   * table (its index) or memory, and whether a batch's SENDs share their commit with the ACKs of
   * the batch before (as when the node's group commit takes both from one queue).
   */
  record Variant(
      String label,
      Collection<String> indexes,
      boolean seqIndex,
      boolean shared,
      boolean sideTable) {
    Variant(String label, Collection<String> indexes, boolean seqIndex, boolean shared) {
      this(label, indexes, seqIndex, shared, false);
    }
  }

  /**
   * The pending index's replacement, tried: the undelivered messages as rows of a small table of
   * their own, written with the message and deleted by its ACK, so that the ACK's update of the
   * message changes a column no index holds.
   */
  static final String SIDE_TABLE =
      "CREATE TABLE PENDING (DESTINATION VARCHAR(32) NOT NULL, ID BIGINT NOT NULL,"
          + " PRIMARY KEY (DESTINATION, ID))";

  static final String SIDE_INSERT = "INSERT INTO PENDING (DESTINATION, ID) VALUES (?, ?)";

  static final String SIDE_DELETE = "DELETE FROM PENDING WHERE DESTINATION = ? AND ID = ?";

  /**
   * The variants measured: the table as the node had it before (four indexes, the duplicate check
   * through one), each lever in turn, the table as the node has it now (the recipient's and the
   * pending index; the duplicate check in memory), and with the recipient's index alone.
   */
  static List<Variant> variants() {
    Map<String, String> node = new LinkedHashMap<>(OTHER_INDEXES);
    node.remove("revision");
    return List.of(
        new Variant("before", OTHER_INDEXES.values(), true, false),
        new Variant("-seq", OTHER_INDEXES.values(), false, false),
        new Variant("-seq+shared", OTHER_INDEXES.values(), false, true),
        new Variant("node", node.values(), false, false),
        new Variant("node+shared", node.values(), false, true),
        new Variant("recipient", List.of(OTHER_INDEXES.get("recipient")), false, true),
        new Variant("side+shared", List.of(OTHER_INDEXES.get("recipient")), false, true, true));
  }

  /** Runs the scenario and writes its figures to {@code out}; the databases go to {@code work}. */
  static void run(int seconds, int warmup, int threads, int batch, Path out, Path work)
      throws Exception {
    Files.createDirectories(out);
    System.setProperty("derby.system.home", work.toAbsolutePath().toString());
    System.setProperty(
        "derby.stream.error.file", work.resolve("derby.log").toAbsolutePath().toString());
    List<Result> results = new ArrayList<>();
    for (Variant variant : variants()) {
      results.add(run(variant, seconds, warmup, threads, batch));
    }
    String report = report(results, threads, batch);
    System.out.print(report);
    Files.writeString(out.resolve("store-summary.txt"), report);
    StringBuilder csv = new StringBuilder("target,seconds,messages,messages_per_second\n");
    for (Result r : results) {
      csv.append(
          String.format(
              Locale.ROOT,
              "%s,%.1f,%d,%.0f%n",
              r.label(),
              r.seconds(),
              r.messages(),
              r.perSecondAverage()));
    }
    Files.writeString(out.resolve("store-summary.csv"), csv);
    StringBuilder perSecond = new StringBuilder("second");
    results.forEach(r -> perSecond.append(',').append(r.label()));
    perSecond.append('\n');
    for (int s = 0; s < seconds; s++) {
      perSecond.append(s + 1);
      for (Result r : results) {
        perSecond.append(',').append(s < r.perSecond().size() ? r.perSecond().get(s) : "");
      }
      perSecond.append('\n');
    }
    Files.writeString(out.resolve("store-per-second.csv"), perSecond);
    Map<String, Double> rates = new LinkedHashMap<>();
    results.forEach(r -> rates.put(r.label(), r.perSecondAverage()));
    Charts.bars(
        out.resolve("store.png"),
        "store floor: the node's statements on Derby alone",
        Map.of("messages per second (stored, acknowledged)", rates));
    System.out.println("bench: wrote " + out.resolve("store.png") + " and the CSV files beside it");
  }

  static String report(List<Result> results, int threads, int batch) {
    StringBuilder text = new StringBuilder();
    text.append(
        String.format(
            Locale.ROOT,
            "%n== store floor, %s: %d threads, batches of %d, durable commits ==%n",
            Instant.now(),
            threads,
            batch));
    text.append(
        String.format(Locale.ROOT, "%-12s %12s %14s%n", "indexes", "messages", "messages/s"));
    for (Result r : results) {
      text.append(
          String.format(
              Locale.ROOT, "%-12s %12d %14.0f%n", r.label(), r.messages(), r.perSecondAverage()));
    }
    return text.toString();
  }

  /** A fresh database, warmed up, then measured: messages stored and acknowledged per second. */
  private static Result run(Variant variant, int seconds, int warmup, int threads, int batch)
      throws SQLException, InterruptedException {
    String url = "jdbc:derby:store-" + variant.label().replaceAll("[^a-z]", "");
    try (Connection setup = DriverManager.getConnection(url + ";create=true");
        Statement ddl = setup.createStatement()) {
      ddl.execute("DROP TABLE MESSAGES");
    } catch (SQLException e) {
      // a fresh database has no table yet
    }
    try (Connection setup = DriverManager.getConnection(url);
        Statement ddl = setup.createStatement()) {
      ddl.execute(TABLE);
      if (variant.seqIndex()) {
        ddl.execute(CLIENT_SEQ_INDEX);
      }
      for (String index : variant.indexes()) {
        ddl.execute(index);
      }
      if (variant.sideTable()) {
        try {
          ddl.execute("DROP TABLE PENDING");
        } catch (SQLException e) {
          // a fresh database has no table yet
        }
        ddl.execute(SIDE_TABLE);
      }
    }
    AtomicLong ids = new AtomicLong();
    System.out.printf("store %s: warming up for %d s (not measured)%n", variant.label(), warmup);
    drive(url, variant, ids, warmup, threads, batch, null);
    List<Long> perSecond = new ArrayList<>();
    long start = System.nanoTime();
    long messages = drive(url, variant, ids, seconds, threads, batch, perSecond);
    double took = (System.nanoTime() - start) / 1e9;
    return new Result(variant.label(), took, messages, perSecond);
  }

  /** Runs the threads for some seconds; returns the messages stored and acknowledged. */
  private static long drive(
      String url,
      Variant variant,
      AtomicLong ids,
      int seconds,
      int threads,
      int batch,
      List<Long> perSecond)
      throws InterruptedException {
    LongAdder done = new LongAdder();
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    List<Thread> workers = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long session = t + 1;
      Thread worker =
          new Thread(
              () -> {
                try {
                  work(url, variant, ids, session, batch, deadline, done);
                } catch (SQLException | RuntimeException e) {
                  synchronized (failures) {
                    failures.add(e);
                  }
                }
              },
              "store-" + t);
      worker.start();
      workers.add(worker);
    }
    long last = 0;
    for (int s = 1; s <= seconds; s++) {
      long secondEnds = deadline - (seconds - s) * 1_000_000_000L;
      Thread.sleep(Math.max(0, (secondEnds - System.nanoTime()) / 1_000_000));
      long now = done.sum();
      if (perSecond != null) {
        perSecond.add(now - last);
        System.out.printf("  t=%3ds messages/s=%7d%n", s, now - last);
      }
      last = now;
    }
    for (Thread worker : workers) {
      worker.join();
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("a store thread failed", failures.get(0));
    }
    return done.sum();
  }

  /**
   * One thread: a batch of SENDs (checked, inserted, committed), then their ACKs (committed); or,
   * when the variant shares commits, each batch's SENDs with the ACKs of the batch before.
   */
  private static void work(
      String url,
      Variant variant,
      AtomicLong ids,
      long session,
      int batch,
      long deadline,
      LongAdder done)
      throws SQLException {
    try (Connection connection = DriverManager.getConnection(url);
        MessageRows table = new MessageRows(connection);
        PreparedStatement earlier = connection.prepareStatement(STORED_BY);
        PreparedStatement sideInsert =
            variant.sideTable() ? connection.prepareStatement(SIDE_INSERT) : null;
        PreparedStatement sideDelete =
            variant.sideTable() ? connection.prepareStatement(SIDE_DELETE) : null) {
      connection.setAutoCommit(false);
      long seq = System.nanoTime(); // a new sequence each run, as a new session's would be
      // the duplicate check from memory: requests stored lately, as the node remembers them
      Set<Long> recent = new HashSet<>();
      List<Ack> previous = List.of();
      while (System.nanoTime() < deadline) {
        List<NewRow> rows = new ArrayList<>(batch);
        List<Ack> acks = new ArrayList<>(batch);
        Instant now = Instant.now();
        for (int i = 0; i < batch; i++) {
          seq++;
          boolean seen =
              variant.seqIndex() ? storedBefore(earlier, session, seq) : !recent.add(seq);
          if (seen) {
            throw new IllegalStateException("request " + seq + " stored twice");
          }
          long id = ids.incrementAndGet();
          String to = "user" + (id % RECIPIENTS);
          rows.add(
              new NewRow(id, "sender", to, "message " + id, now, session, seq, false, null, id));
          acks.add(new Ack(to, id, id + 1));
        }
        if (recent.size() > 100_000) {
          recent.clear(); // a bounded memory, as the node's
        }
        table.insert(rows);
        if (sideInsert != null) {
          for (NewRow row : rows) {
            sideInsert.setString(1, row.destination());
            sideInsert.setLong(2, row.id());
            sideInsert.addBatch();
          }
          sideInsert.executeBatch();
        }
        if (variant.shared()) {
          if (table.acknowledge(previous).contains(false)) {
            throw new IllegalStateException("a message stored was not found by its ACK");
          }
          if (sideDelete != null && !previous.isEmpty()) {
            for (Ack ack : previous) {
              sideDelete.setString(1, ack.username());
              sideDelete.setLong(2, ack.id());
              sideDelete.addBatch();
            }
            for (int deleted : sideDelete.executeBatch()) {
              if (deleted != 1) {
                throw new IllegalStateException("an ACK found no pending row");
              }
            }
          }
          connection.commit();
          done.add(previous.size());
          previous = acks;
          continue;
        }
        connection.commit();
        if (table.acknowledge(acks).contains(false)) {
          throw new IllegalStateException("a message stored was not found by its ACK");
        }
        connection.commit();
        done.add(batch);
      }
    }
  }
}
