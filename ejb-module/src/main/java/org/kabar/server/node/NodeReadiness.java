package org.kabar.server.node;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.resource.ResourceException;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.kabar.adapter.api.AdapterStatus;
import org.kabar.adapter.api.MessengerConnection;
import org.kabar.adapter.api.MessengerConnectionFactory;

/**
 * The node is ready only when the adapter's UDP and TCP sockets are bound and the database answers;
 * served at {@code /health/ready}, which the start script waits for.
 */
@Readiness
@ApplicationScoped
public class NodeReadiness implements HealthCheck {

  /** Name of this check in the health report. */
  public static final String NAME = "kabar-node";

  @Resource(lookup = NodeResources.SOCKETS)
  MessengerConnectionFactory sockets;

  @PersistenceContext EntityManager entityManager;

  @Inject NodeSettings settings;

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response =
        HealthCheckResponse.named(NAME).withData("node", settings.nodeName());
    boolean socketsUp = checkSockets(response);
    boolean databaseUp = checkDatabase(response);
    return response.status(socketsUp && databaseUp).build();
  }

  private boolean checkSockets(HealthCheckResponseBuilder response) {
    try (MessengerConnection connection = sockets.getConnection()) {
      AdapterStatus status = connection.status();
      if (!status.listening()) {
        response.withData("sockets", "not bound");
        return false;
      }
      response
          .withData("udp", status.udpAddress().toString())
          .withData("tcp", status.tcpAddress().toString())
          .withData("receiveBufferGranted", status.receiveBufferGranted())
          .withData("clientDropped", status.client().dropped())
          .withData("clientQueueDepth", status.client().depth())
          .withData("clientEndpoint", status.client().endpointActive())
          .withData("peerEndpoint", status.peer().endpointActive());
      return status.client().endpointActive() && status.peer().endpointActive();
    } catch (ResourceException | RuntimeException e) {
      response.withData("sockets", "adapter unavailable: " + e.getMessage());
      return false;
    }
  }

  private boolean checkDatabase(HealthCheckResponseBuilder response) {
    try {
      entityManager.createNativeQuery("VALUES 1").getSingleResult();
      response.withData("database", "up");
      return true;
    } catch (RuntimeException e) {
      response.withData("database", "down: " + e.getMessage());
      return false;
    }
  }
}
