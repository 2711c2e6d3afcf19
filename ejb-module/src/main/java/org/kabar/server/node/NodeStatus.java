package org.kabar.server.node;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import jakarta.resource.ResourceException;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.kabar.adapter.api.AdapterStatus;
import org.kabar.adapter.api.MessengerConnection;
import org.kabar.adapter.api.MessengerConnectionFactory;
import org.kabar.server.accounts.boundary.Directory;

/**
 * Reads the state of the node's sockets and database for the readiness check and the metrics. An
 * EJB on purpose: health and metrics requests arrive on the server's own threads, and an EJB call
 * gives them the application's naming context.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class NodeStatus {

  @Resource(lookup = NodeResources.SOCKETS)
  MessengerConnectionFactory sockets;

  @PersistenceContext EntityManager entityManager;

  @Inject NodeSettings settings;

  @Inject Directory directory;

  @EJB WebModuleStart webModule;

  /** The adapter's sockets and queues, or empty if the adapter is not running. */
  public Optional<AdapterStatus> adapter() {
    try (MessengerConnection connection = sockets.getConnection()) {
      AdapterStatus status = connection.status();
      return status.client() == null ? Optional.empty() : Optional.of(status);
    } catch (ResourceException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * A count from the database: a JPQL query that may name the parameter {@code node} (this node's
   * name); -1 if the database does not answer.
   */
  public long count(String jpql) {
    try {
      TypedQuery<Long> query = entityManager.createQuery(jpql, Long.class);
      if (jpql.contains(":node")) {
        query.setParameter("node", settings.nodeName());
      }
      return query.getSingleResult();
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /** Messages held here that no recipient has acknowledged yet. */
  public long undelivered() {
    return count(
        "SELECT COUNT(m) FROM StoredMessage m WHERE m.delivered = FALSE AND m.deleted = FALSE"
            + " AND m.broadcast = FALSE");
  }

  /**
   * Asks the database a trivial question.
   *
   * @return empty if it answered, else the reason it did not
   */
  public Optional<String> databaseProblem() {
    try {
      entityManager.createNativeQuery("VALUES 1").getSingleResult();
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of(String.valueOf(e.getMessage()));
    }
  }

  /**
   * The readiness report ({@link NodeReadiness}): sockets, beans, database, account settings, and
   * the web module serving.
   */
  public HealthCheckResponse readiness(String name) {
    HealthCheckResponseBuilder response =
        HealthCheckResponse.named(name).withData("node", settings.nodeName());
    if (!webModule.isStarted()) {
      return response.withData("web", "starting").down().build();
    }
    boolean socketsUp = checkSockets(response);
    Optional<String> databaseProblem = databaseProblem();
    response.withData("database", databaseProblem.map(p -> "down: " + p).orElse("up"));
    List<String> directoryProblems = directory.settings().problems();
    response.withData(
        "accounts",
        directoryProblems.isEmpty()
            ? (directory.active() ? "ldap" : "local")
            : "settings wrong: " + String.join("; ", directoryProblems));
    return response
        .status(socketsUp && databaseProblem.isEmpty() && directoryProblems.isEmpty())
        .build();
  }

  private boolean checkSockets(HealthCheckResponseBuilder response) {
    Optional<AdapterStatus> adapter = adapter();
    if (adapter.isEmpty() || !adapter.get().listening()) {
      response.withData("sockets", "not bound");
      return false;
    }
    AdapterStatus sockets = adapter.get();
    response
        .withData("udp", sockets.udpAddress().toString())
        .withData("tcp", sockets.tcpAddress().toString())
        .withData("receiveBufferGranted", sockets.receiveBufferGranted())
        .withData("clientDropped", sockets.client().dropped())
        .withData("clientQueueDepth", sockets.client().depth())
        .withData("clientEndpoint", sockets.client().endpointActive())
        .withData("peerEndpoint", sockets.peer().endpointActive());
    return sockets.client().endpointActive() && sockets.peer().endpointActive();
  }
}
