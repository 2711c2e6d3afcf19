package org.kabar.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The single runnable node jar an operator copies to a machine: built by {@code messenger-node
 * --build-jar}, started with {@code java -jar}, configured by KABAR_* variables.
 */
class NodeJarIT {

  private static final String HOST = "127.0.0.25";

  @Test
  void theNodeJarRunsANodeConfiguredByTheEnvironment() throws Exception {
    Path jar = NodeProcess.WORK.resolve("kabar-node.jar");
    Files.createDirectories(jar.getParent());
    Process build =
        new ProcessBuilder(
                NodeProcess.REPO.resolve("server-config/bin/messenger-node").toString(),
                "--build-jar",
                jar.toString())
            .redirectErrorStream(true)
            .redirectOutput(NodeProcess.WORK.resolve("build-jar.log").toFile())
            .start();
    assertTrue(build.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, build.exitValue(), Files.readString(NodeProcess.WORK.resolve("build-jar.log")));

    ProcessBuilder run =
        new ProcessBuilder(
                System.getProperty("java.home") + "/bin/java",
                "-Xmx384m",
                "-jar",
                jar.toString(),
                "--port",
                "18041")
            .redirectErrorStream(true)
            .redirectOutput(NodeProcess.WORK.resolve("node-jar.log").toFile());
    run.environment().put("KABAR_NODE_NAME", "from-jar");
    run.environment().put("KABAR_BIND", HOST);
    run.environment().put("KABAR_DB_NAME", NodeProcess.WORK.resolve("node-jar-db").toString());
    Process node = run.start();
    try (UdpClient client = new UdpClient(HOST, 4999)) {
      String reply = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (reply == null && node.isAlive() && System.nanoTime() < deadline) {
        reply = client.request("/@live?");
      }
      assertEquals(
          "yes\n", reply, String.join("\n", tail(NodeProcess.WORK.resolve("node-jar.log"))));
    } finally {
      node.toHandle().destroy();
      if (!node.waitFor(30, TimeUnit.SECONDS)) {
        node.destroyForcibly();
      }
    }
  }

  private static List<String> tail(Path log) throws java.io.IOException {
    List<String> lines = Files.readAllLines(log);
    return lines.subList(Math.max(0, lines.size() - 40), lines.size());
  }
}
