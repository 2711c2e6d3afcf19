package org.kabar.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Stopping and crashing a node: what an operator relies on when a machine restarts or dies. */
class NodeLifecycleIT {

  @Test
  void sigtermStopsTheNodeWithin15sWithNoLockAndNoIdentityJump() throws Exception {
    NodeProcess.Settings settings =
        NodeProcess.Settings.on("graceful", "127.0.0.22")
            .withPorts(4999, 5000, 18031)
            .withPeers("10.1.0.1:5000,10.1.0.2:5000,10.1.0.3:5000");
    try (NodeProcess node = NodeProcess.start(settings)) {
      node.assertReady();
      long start = System.nanoTime();
      node.terminate();
      assertEquals(0, node.awaitExit(Duration.ofSeconds(15)), node.tail());
      long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
      assertTrue(millis < 15_000, "stopped in " + millis + " ms");
      assertFalse(node.javaProcess().isPresent(), "no Payara process left behind");
    }
    assertFalse(NodeDatabase.lockLeft(settings), "Derby was shut down cleanly");

    try (NodeProcess node = NodeProcess.start(settings.withPeers("10.1.0.4:5000"))) {
      node.assertReady();
      node.terminate();
      assertEquals(0, node.awaitExit(Duration.ofSeconds(15)), node.tail());
    }
    assertEquals(
        List.of("1 10.1.0.1:5000", "2 10.1.0.2:5000", "3 10.1.0.3:5000", "4 10.1.0.4:5000"),
        NodeDatabase.serverList(settings),
        "identity values continue without a gap after a clean restart");
  }

  @Test
  void aBadSettingIsRefusedBeforeAnythingStarts() throws Exception {
    Process script =
        new ProcessBuilder(
                NodeProcess.REPO.resolve("server-config/bin/messenger-node").toString(),
                "--gc",
                "parallel")
            .redirectErrorStream(true)
            .start();
    assertTrue(script.waitFor(30, TimeUnit.SECONDS));
    String output = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(2, script.exitValue(), output);
    assertEquals("messenger-node: --gc 'parallel': use g1 or zgc\n", output);
  }

  @Test
  void kill9ThenRestartKeepsEveryCommittedRow() throws Exception {
    NodeProcess.Settings settings =
        NodeProcess.Settings.on("crashing", "127.0.0.23")
            .withPorts(4999, 5000, 18032)
            .withPeers("10.2.0.1:5000,10.2.0.2:5000");
    try (NodeProcess node = NodeProcess.start(settings)) {
      node.assertReady();
      node.kill9();
    }
    // the restart also runs on the other garbage collector an operator may choose
    try (NodeProcess node =
        NodeProcess.start(settings.withPeers("10.2.0.3:5000").withEnv("KABAR_GC", "zgc"))) {
      node.assertReady();
      assertEquals(
          List.of("-XX:+UseZGC"),
          node.javaProcess().orElseThrow().info().arguments().stream()
              .flatMap(Arrays::stream)
              .filter(argument -> argument.matches("-XX:\\+Use\\w+GC"))
              .toList(),
          "the JVM runs with the collector chosen");
      try (UdpClient client = new UdpClient("127.0.0.23", 4999)) {
        assertEquals("yes\n", client.request("/@live?"), "the node serves after recovery");
      }
      node.terminate();
      assertEquals(0, node.awaitExit(Duration.ofSeconds(15)), node.tail());
    }
    List<String> rows = NodeDatabase.serverList(settings);
    assertEquals(
        List.of("10.2.0.1:5000", "10.2.0.2:5000", "10.2.0.3:5000"),
        rows.stream().map(row -> row.substring(row.indexOf(' ') + 1)).toList(),
        "rows committed before the crash survive it");
  }
}
