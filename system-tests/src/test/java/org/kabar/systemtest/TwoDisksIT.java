package org.kabar.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kabar.protocol.client.ClientReply.Delivery;
import org.kabar.systemtest.ChatClients.Chatter;

/**
 * A message is on two disks before its sender hears {@code OK SEND} (issue 32): three servers with
 * the default settings. The origin killed with {@code kill -9} right after the last {@code OK
 * SEND}: a user who was away logs in at a survivor and is shown every message once. The recipient's
 * server killed right after the last {@code OK SEND}: the recipient moves to a survivor and is
 * shown every message once.
 */
class TwoDisksIT {

  private static final String PASSWORD = "secret-123";
  private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
  private static final String[] HOSTS = {"127.0.7.1", "127.0.7.2", "127.0.7.3"};

  /** Messages sent before each kill: the last is answered just before it. */
  private static final int MESSAGES = 20;

  private static List<NodeProcess.Settings> settings(String prefix, int http) throws Exception {
    List<NodeProcess.Settings> settings = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      List<String> others = new ArrayList<>();
      for (int j = 0; j < 3; j++) {
        if (j != i) {
          others.add(HOSTS[j] + ":5000");
        }
      }
      NodeProcess.Settings node =
          NodeProcess.Settings.on(prefix + (char) ('a' + i), HOSTS[i])
              .withPorts(4999, 5000, http + i)
              .withPeers(String.join(",", others));
      NodeProcess.wipe(node);
      settings.add(node);
    }
    return settings;
  }

  private static InetSocketAddress at(int node) {
    return new InetSocketAddress(HOSTS[node], 4999);
  }

  /** Every message shown once within the time, in any order; fails on a repeat or a gap. */
  private static void shownOnce(Chatter chatter, List<String> texts, Duration within)
      throws InterruptedException {
    List<String> shown = new ArrayList<>();
    long deadline = System.nanoTime() + within.toNanos();
    while (shown.size() < texts.size() && System.nanoTime() < deadline) {
      Delivery next = chatter.next(Duration.ofMillis(200));
      if (next != null) {
        shown.add(next.text());
      }
    }
    Delivery extra = chatter.next(Duration.ofSeconds(2)); // nothing more comes
    if (extra != null) {
      shown.add(extra.text());
    }
    assertEquals(Set.copyOf(texts), Set.copyOf(shown), "every message acknowledged is shown");
    assertEquals(texts.size(), shown.size(), "none shown twice: " + shown);
  }

  @Test
  void theOriginKilledRightAfterOkLosesNothing() throws Exception {
    List<NodeProcess.Settings> settings = settings("td-o", 18131);
    List<NodeProcess> nodes = NodeProcess.startTogether(settings);
    try {
      for (NodeProcess.Settings node : settings) {
        Gauges.await(node, "kabar_peers_active", n -> n == 2, node.name() + " lists both others");
      }
      String sender = "tds-" + RUN;
      String away = "tda-" + RUN;
      List<String> texts = new ArrayList<>();
      try (Chatter s = ChatClients.connect(at(0))) {
        s.client().register(sender, PASSWORD);
        s.client().register(away, PASSWORD);
        s.client().login(sender, PASSWORD);
        for (int i = 0; i < MESSAGES; i++) {
          String text = "while away " + i;
          s.client().send(away, text);
          texts.add(text);
        }
        nodes.get(0).kill9(); // at once after the last OK SEND
      }
      try (Chatter r = ChatClients.connect(at(2), at(1))) {
        r.client().login(away, PASSWORD);
        shownOnce(r, texts, Duration.ofSeconds(15));
      }
    } finally {
      for (NodeProcess node : nodes) {
        node.close();
      }
    }
  }

  @Test
  void theRecipientsServerKilledRightAfterOkLosesNothing() throws Exception {
    List<NodeProcess.Settings> settings = settings("td-r", 18134);
    List<NodeProcess> nodes = NodeProcess.startTogether(settings);
    try {
      for (NodeProcess.Settings node : settings) {
        Gauges.await(node, "kabar_peers_active", n -> n == 2, node.name() + " lists both others");
      }
      String sender = "trs-" + RUN;
      String listener = "trl-" + RUN;
      List<String> texts = new ArrayList<>();
      try (Chatter s = ChatClients.connect(at(0));
          Chatter r = ChatClients.connect(at(1), at(2))) {
        s.client().register(sender, PASSWORD);
        s.client().register(listener, PASSWORD);
        s.client().login(sender, PASSWORD);
        ChatClients.soon(() -> r.client().login(listener, PASSWORD));
        long sentBefore = Gauges.read(settings.get(0), "kabar_messages_confirmed_stored");
        for (int i = 0; i < MESSAGES; i++) {
          String text = "to the listener " + i;
          s.client().send(listener, text);
          texts.add(text);
        }
        nodes.get(1).kill9(); // the listener's server, at once after the last OK SEND
        assertTrue(
            Gauges.read(settings.get(0), "kabar_messages_confirmed_stored") - sentBefore
                >= MESSAGES,
            "every OK SEND followed a STORED from another server");
        r.client().keepAlive(); // b is silent: the client moves on (MOVED, or its own failover)
        shownOnce(r, texts, Duration.ofSeconds(20));
        assertNotEquals(at(1), r.client().server(), "the listener is served by a survivor now");
      }
    } finally {
      for (NodeProcess node : nodes) {
        node.close();
      }
    }
  }
}
