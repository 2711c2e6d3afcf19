package org.kabar.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

/**
 * Three servers that know each other only through the list an operator gave each at start (seed
 * S3.1): they announce themselves, their lists converge, a killed server turns inactive, and a
 * server with the wrong key is kept out.
 */
class ServerListIT {

  @Test
  void listsConvergeAndAKilledServerTurnsInactive() throws Exception {
    NodeProcess.Settings a = node("list-a", "127.0.0.41", 18081, "");
    NodeProcess.Settings b = node("list-b", "127.0.0.42", 18082, "127.0.0.41:5000");
    NodeProcess.Settings c = node("list-c", "127.0.0.43", 18083, "127.0.0.41:5000,127.0.0.42:5000");
    for (NodeProcess.Settings settings : new NodeProcess.Settings[] {a, b, c}) {
      NodeProcess.wipe(settings);
    }
    try (NodeProcess nodeA = NodeProcess.start(a).assertReady();
        NodeProcess nodeB = NodeProcess.start(b).assertReady();
        NodeProcess nodeC = NodeProcess.start(c).assertReady()) {
      for (NodeProcess.Settings settings : new NodeProcess.Settings[] {a, b, c}) {
        awaitGauge(settings, "kabar_peers_active", n -> n == 2, "every node lists the other two");
      }
      nodeC.kill9();
      awaitGauge(a, "kabar_peers_active", n -> n == 1, "a sees c inactive");
      awaitGauge(b, "kabar_peers_active", n -> n == 1, "b sees c inactive");
      assertEquals(2, gauge(a, "kabar_peers_known"), "an inactive server stays listed");

      NodeProcess.Settings rogue =
          node("rogue", "127.0.0.44", 18084, "127.0.0.41:5000")
              .withEnv("KABAR_CLUSTER_KEY", "not-the-deployment-key");
      try (NodeProcess rogueNode = NodeProcess.start(rogue).assertReady()) {
        Thread.sleep(5_000); // several check intervals
        assertEquals(2, gauge(a, "kabar_peers_known"), "the rogue never entered a's list");
        assertTrue(
            rogueNode.output().contains("does not hold the deployment key"),
            "the rogue learns that a holds another key");
        assertTrue(
            nodeA.output().contains("did not prove the deployment key"), "a logs the refusal");
      }
    }
  }

  private static NodeProcess.Settings node(String name, String host, int http, String peers) {
    return NodeProcess.Settings.on(name, host)
        .withPorts(4999, 5000, http)
        .withPeers(peers)
        .withEnv("KABAR_PEER_CHECK_SECONDS", "1");
  }

  private static void awaitGauge(
      NodeProcess.Settings node, String name, LongPredicate wanted, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
    long value = -1;
    while (System.nanoTime() < deadline) {
      value = gauge(node, name);
      if (wanted.test(value)) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(what + ": " + name + " on " + node.name() + " is " + value);
  }

  private static long gauge(NodeProcess.Settings node, String name) throws IOException {
    HttpURLConnection http =
        (HttpURLConnection)
            URI.create("http://" + node.bind() + ":" + node.httpPort() + "/metrics")
                .toURL()
                .openConnection();
    String metrics = new String(http.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    for (String line : metrics.split("\n")) {
      if (line.startsWith(name + "{")) {
        return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError(name + " missing from /metrics of " + node.name());
  }
}
