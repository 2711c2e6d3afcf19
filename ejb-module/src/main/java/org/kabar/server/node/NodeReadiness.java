package org.kabar.server.node;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.Dependent;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The node is ready only when the adapter's UDP and TCP sockets are bound, both message-driven
 * beans are connected to them, the database answers and the account settings are right (a directory
 * that is down does not make the node unready: signed-in users keep chatting); served at {@code
 * /health/ready}, which the start script waits for. While the application is still starting it
 * answers DOWN.
 */
@Readiness
// A plain instance, not a client proxy: Payara calls its checks from its own threads from the
// moment they are registered; a proxy then fails before reaching this code, Payara leaves the check
// out, and an empty list of checks answers 200 UP before the node is ready.
@Dependent
public class NodeReadiness implements HealthCheck {

  /** Name of this check in the health report. */
  public static final String NAME = "kabar-node";

  // an EJB call works from any thread: the container gives it the application's context
  @EJB NodeStatus status;

  @Override
  public HealthCheckResponse call() {
    try {
      return status.readiness(NAME);
    } catch (RuntimeException starting) {
      return HealthCheckResponse.named(NAME).withData("node", "starting").down().build();
    }
  }
}
