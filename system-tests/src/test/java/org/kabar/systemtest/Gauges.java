package org.kabar.systemtest;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.LongPredicate;

/** Reads a running node's gauges from its /metrics, as a monitoring system would. */
final class Gauges {

  private Gauges() {}

  /** Waits up to 45 s for a gauge to satisfy a condition. */
  static void await(NodeProcess.Settings node, String name, LongPredicate wanted, String what)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
    long value = -1;
    while (System.nanoTime() < deadline) {
      value = read(node, name);
      if (wanted.test(value)) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(what + ": " + name + " on " + node.name() + " is " + value);
  }

  static long read(NodeProcess.Settings node, String name) throws IOException {
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

  /** The sum of a gauge over several nodes. */
  static long sum(List<NodeProcess.Settings> nodes, String name) throws IOException {
    long total = 0;
    for (NodeProcess.Settings node : nodes) {
      total += read(node, name);
    }
    return total;
  }
}
