package org.kabar.server.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.UserTransaction;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kabar.server.ArquillianDeployments;
import org.kabar.server.accounts.entity.UserAccount;
import org.kabar.server.cluster.boundary.ServerDirectory;
import org.kabar.server.cluster.entity.ServerEntry;
import org.kabar.server.messaging.entity.StoredMessage;
import org.kabar.server.presence.entity.ConnectedSession;

/**
 * The seed's four tables on real Derby through real JPA in Payara Micro: rows persist, come back by
 * their indexed queries, and the unique indexes refuse duplicates.
 */
@ExtendWith(ArquillianExtension.class)
class EntitiesIT {

  @Deployment
  static WebArchive deployment() {
    return ArquillianDeployments.node();
  }

  @PersistenceContext EntityManager entityManager;

  @Resource UserTransaction transaction;

  @Resource(lookup = NodeResources.DATA_SOURCE)
  DataSource dataSource;

  @Inject ServerDirectory directory;

  @Test
  void usersAreFoundByUsernameAndNamesAreUnique() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    inTransaction(
        () -> persist(new UserAccount("ayu", "PBKDF2WithHmacSHA256:10:c2FsdA==:aGFzaA==", now)));
    UserAccount found =
        inTransaction(
            () ->
                entityManager
                    .createNamedQuery(UserAccount.BY_USERNAME, UserAccount.class)
                    .setParameter("username", "ayu")
                    .getSingleResult());
    assertEquals("ayu", found.username());
    assertEquals(now, found.createdAt());
    assertFalse(found.passwordHash().contains("secret"));
    assertThrows(
        Exception.class,
        () -> inTransaction(() -> persist(new UserAccount("ayu", "other-hash", now))),
        "a second account with the same username is refused by the database");
  }

  @Test
  void connectedSessionsAreFoundByUserServerAndAddress() throws Exception {
    Instant now = Instant.now();
    InetSocketAddress client = new InetSocketAddress("127.0.0.7", 40001);
    inTransaction(
        () -> {
          persist(new ConnectedSession(nextId(), "budi", client, "node-a", now));
          persist(
              new ConnectedSession(
                  nextId(), "citra", new InetSocketAddress("127.0.0.8", 40002), "node-b", now));
          ConnectedSession gone = new ConnectedSession(nextId(), "dewi", client, "node-a", now);
          gone.disconnect();
          return persist(gone);
        });
    List<ConnectedSession> onA =
        inTransaction(
            () ->
                entityManager
                    .createNamedQuery(ConnectedSession.CONNECTED_ON_SERVER, ConnectedSession.class)
                    .setParameter("server", "node-a")
                    .getResultList());
    assertEquals(List.of("budi"), onA.stream().map(ConnectedSession::username).toList());
    ConnectedSession atAddress =
        inTransaction(
            () ->
                entityManager
                    .createNamedQuery(ConnectedSession.CONNECTED_AT_ADDRESS, ConnectedSession.class)
                    .setParameter("address", "127.0.0.7")
                    .setParameter("port", 40001)
                    .getSingleResult());
    assertEquals("budi", atAddress.username());
    assertEquals(client, atAddress.client());
    assertEquals(
        1,
        inTransaction(
                () ->
                    entityManager
                        .createNamedQuery(ConnectedSession.CONNECTED_USER, ConnectedSession.class)
                        .setParameter("username", "citra")
                        .getResultList())
            .size());
  }

  @Test
  void offlineMessagesComeBackInTheOrderSent() throws Exception {
    Instant first = Instant.parse("2026-01-01T10:00:00Z");
    // one transaction each, as each message is stored by its own request
    inTransaction(() -> persist(new StoredMessage(nextId(), "eka", "fajar", "first", first)));
    inTransaction(
        () -> persist(new StoredMessage(nextId(), "eka", "fajar", "second", first.plusSeconds(1))));
    inTransaction(
        () -> {
          persist(new StoredMessage(nextId(), "eka", "fajar", "to all", first, 1, 1, true));
          StoredMessage read =
              new StoredMessage(nextId(), "eka", "fajar", "already delivered", first);
          read.markDelivered();
          persist(read);
          return persist(new StoredMessage(nextId(), "eka", "gita", "not for fajar", first));
        });
    List<String> offline =
        inTransaction(
            () ->
                entityManager
                    .createNamedQuery(StoredMessage.UNDELIVERED_TO, StoredMessage.class)
                    .setParameter("destination", "fajar")
                    .getResultList()
                    .stream()
                    .map(StoredMessage::text)
                    .toList());
    assertEquals(List.of("first", "second"), offline);
  }

  @Test
  void serverListOrdersActiveServersNearestFirst() throws Exception {
    ServerEntry far = directory.add("10.9.9.1", 5000);
    directory.add("10.9.9.2", 5000);
    directory.add("10.9.9.3", 5000);
    directory.add("10.9.9.1", 5000); // listed once only
    inTransaction(
        () -> {
          entityManager
              .createNamedQuery(ServerEntry.BY_ADDRESS, ServerEntry.class)
              .setParameter("address", "10.9.9.1")
              .setParameter("port", 5000)
              .getSingleResult()
              .answered(Duration.ofMillis(40), Instant.now());
          ServerEntry near =
              entityManager
                  .createNamedQuery(ServerEntry.BY_ADDRESS, ServerEntry.class)
                  .setParameter("address", "10.9.9.2")
                  .setParameter("port", 5000)
                  .getSingleResult();
          near.answered(Duration.ofMillis(2), Instant.now());
          entityManager
              .createNamedQuery(ServerEntry.BY_ADDRESS, ServerEntry.class)
              .setParameter("address", "10.9.9.3")
              .setParameter("port", 5000)
              .getSingleResult()
              .unreachable();
          return near;
        });
    List<String> order =
        directory.activeNearestFirst().stream()
            .filter(entry -> entry.address().startsWith("10.9.9."))
            .map(ServerEntry::address)
            .toList();
    assertEquals(List.of("10.9.9.2", "10.9.9.1"), order);
    assertTrue(far.id() != null);
  }

  @Test
  void everyLookupHasAnIndex() throws Exception {
    Set<String> indexed = new HashSet<>();
    try (Connection connection = dataSource.getConnection()) {
      DatabaseMetaData meta = connection.getMetaData();
      for (String table : List.of("USERS", "CONNECTED", "MESSAGES", "SERVER_LIST")) {
        try (ResultSet indexes = meta.getIndexInfo(null, null, table, false, false)) {
          while (indexes.next()) {
            String name = indexes.getString("INDEX_NAME");
            if (name != null) {
              indexed.add(name);
            }
          }
        }
      }
    }
    for (String index :
        List.of(
            "UX_USERS_USERNAME",
            "IX_CONNECTED_USER",
            "IX_CONNECTED_SERVER",
            "IX_CONNECTED_ADDRESS",
            "IX_MESSAGES_RECIPIENT",
            "IX_MESSAGES_PENDING",
            "UX_SERVER_LIST_ADDRESS",
            "IX_SERVER_LIST_ACTIVE")) {
      assertTrue(indexed.contains(index), index + " exists; found " + indexed);
    }
    // each costs every message an update: the duplicate check is in memory, a catch-up reads
    // along the primary key
    for (String index : List.of("IX_MESSAGES_CLIENT_SEQ", "IX_MESSAGES_REVISION")) {
      assertFalse(indexed.contains(index), index + " is not made; found " + indexed);
    }
  }

  private Object persist(Object entity) {
    entityManager.persist(entity);
    return entity;
  }

  private <T> T inTransaction(Callable<T> work) throws Exception {
    transaction.begin();
    try {
      T result = work.call();
      transaction.commit();
      return result;
    } catch (Exception e) {
      if (transaction.getStatus() != jakarta.transaction.Status.STATUS_NO_TRANSACTION) {
        transaction.rollback();
      }
      throw e;
    }
  }

  private static final AtomicLong IDS = new AtomicLong(System.currentTimeMillis() << 8);

  /** Ids as the node makes them: unique and growing. */
  private static long nextId() {
    return IDS.incrementAndGet();
  }
}
