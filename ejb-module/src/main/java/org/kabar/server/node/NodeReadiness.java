package org.kabar.server.node;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.kabar.adapter.api.AdapterStatus;
import org.kabar.server.accounts.boundary.Directory;

/**
 * The node is ready only when the adapter's UDP and TCP sockets are bound, both message-driven
 * beans are connected to them, the database answers and the account settings are right (a directory
 * that is down does not make the node unready: signed-in users keep chatting); served at {@code
 * /health/ready}, which the start script waits for.
 */
@Readiness
@ApplicationScoped
public class NodeReadiness implements HealthCheck {

  /** Name of this check in the health report. */
  public static final String NAME = "kabar-node";

  @EJB NodeStatus status;

  @Inject NodeSettings settings;

  @Inject Directory directory;

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response =
        HealthCheckResponse.named(NAME).withData("node", settings.nodeName());
    boolean socketsUp = checkSockets(response);
    Optional<String> databaseProblem = status.databaseProblem();
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
    Optional<AdapterStatus> adapter = status.adapter();
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
