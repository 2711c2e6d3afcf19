package org.kabar.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        Gauges.await(settings, "kabar_peers_active", n -> n == 2, "every node lists the other two");
      }
      nodeC.kill9();
      Gauges.await(a, "kabar_peers_active", n -> n == 1, "a sees c inactive");
      Gauges.await(b, "kabar_peers_active", n -> n == 1, "b sees c inactive");
      assertEquals(2, Gauges.read(a, "kabar_peers_known"), "an inactive server stays listed");

      NodeProcess.Settings rogue =
          node("rogue", "127.0.0.44", 18084, "127.0.0.41:5000")
              .withEnv("KABAR_CLUSTER_KEY", "not-the-deployment-key");
      try (NodeProcess rogueNode = NodeProcess.start(rogue).assertReady()) {
        Thread.sleep(5_000); // several check intervals
        assertEquals(2, Gauges.read(a, "kabar_peers_known"), "the rogue never entered a's list");
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
}
