package org.kabar.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.kabar.protocol.client.ClientReply.Delivery;
import org.kabar.systemtest.ChatClients.Chatter;

/**
 * The demo command an operator tries first: {@code messenger-cluster 2} starts two nodes that know
 * each other and form one Payara Micro cluster, users on the two chat, and one SIGTERM stops both.
 */
class MessengerClusterIT {

  private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000, 36);

  @Test
  void twoDemoNodesChatAcrossAndStopTogether() throws Exception {
    Path data = NodeProcess.WORK.resolve("demo-cluster");
    NodeProcess.wipe(data);
    Files.createDirectories(data);
    Path out = data.resolve("messenger-cluster.out");
    ProcessBuilder builder =
        new ProcessBuilder(
                NodeProcess.REPO.resolve("server-config/bin/messenger-cluster").toString(),
                "2",
                "--data",
                data.toString())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    builder.environment().put("KABAR_PASSWORD_ITERATIONS", "1024");
    Process cluster = builder.start();
    try {
      awaitText(out, "messenger-cluster: 2 nodes running", Duration.ofSeconds(240), cluster);
      awaitText(data.resolve("node1.out"), "DG Size: 2", Duration.ofSeconds(60), cluster);

      InetSocketAddress node1 = new InetSocketAddress("127.0.0.11", 4999);
      InetSocketAddress node2 = new InetSocketAddress("127.0.0.12", 4999);
      try (Chatter ayu = ChatClients.connect(node1, node2);
          Chatter budi = ChatClients.connect(node2, node1)) {
        ayu.client().register("ayu-" + RUN, "secret-123");
        ayu.client().login("ayu-" + RUN, "secret-123");
        budi.client().register("budi-" + RUN, "secret-123");
        budi.client().login("budi-" + RUN, "secret-123");
        ayu.client().send("budi-" + RUN, "halo dari node1");
        Delivery got = budi.next(Duration.ofSeconds(10));
        assertEquals("halo dari node1", got == null ? null : got.text());
      }
    } finally {
      cluster.toHandle().destroy(); // SIGTERM, as Ctrl-C would
      assertTrue(cluster.waitFor(60, TimeUnit.SECONDS), "the script stops within 60 s");
    }
    String said = Files.readString(out, StandardCharsets.UTF_8);
    assertTrue(said.contains("stopping 2 nodes"), said);
    for (String host : new String[] {"127.0.0.11", "127.0.0.12"}) {
      assertFalse(listening(host, 5000), "no node left listening on " + host);
    }
  }

  private static boolean listening(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException closed) {
      return false;
    }
  }

  private static void awaitText(Path file, String text, Duration timeout, Process owner)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).contains(text)) {
        return;
      }
      if (!owner.isAlive()) {
        break;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "no '"
            + text
            + "' in "
            + file.getFileName()
            + ":\n"
            + (Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "(none)"));
  }
}
