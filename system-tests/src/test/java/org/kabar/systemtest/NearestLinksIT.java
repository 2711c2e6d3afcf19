package org.kabar.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.kabar.client.Backoff;
import org.kabar.client.MessengerClient;
import org.kabar.client.RefusedException;
import org.kabar.protocol.client.ClientReply;
import org.kabar.protocol.client.ClientReply.Delivery;
import org.kabar.protocol.client.ClientReply.SessionEnded;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.systemtest.ChatClients.Chatter;

/**
 * Three nodes that also form one Payara Micro cluster (TCP/IP discovery on loopback, the data grid
 * lists all three), and updates flow along the nearest links (seed S3.8): with each server sending
 * only to its one nearest server, and the periodic copy an hour away, an update still reaches every
 * server at once, because each passes on what was news to it and never back to the server it came
 * from; when a server dies, the next nearest takes its place and nothing is lost.
 */
class NearestLinksIT {

  private static final String PASSWORD = "secret-123";
  private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
  private static final String[] HOSTS = {"127.0.0.71", "127.0.0.72", "127.0.0.73"};

  /** Copies of messages a node sent to other servers. */
  private static final String COPIES = "kabar_peer_copies_sent_messages";

  @Test
  void updatesReachEveryServerAlongTheNearestLinksAndSurviveALinkDying() throws Exception {
    List<NodeProcess.Settings> settings = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      NodeProcess.Settings node =
          NodeProcess.Settings.on("near-" + (char) ('a' + i), HOSTS[i])
              .withPorts(4999, 5000, 18111 + i)
              .withPeers(
                  String.join(
                      ",", List.of(HOSTS).subList(0, i).stream().map(h -> h + ":5000").toList()))
              .withEnv("KABAR_PEER_CHECK_SECONDS", "2")
              .withEnv("KABAR_PEER_FANOUT", "1")
              .withEnv("KABAR_QUOTA", i == 0 ? "1" : "100")
              .withEnv("KABAR_REPLICATION_SECONDS", "3600")
              .withEnv("KABAR_CLUSTER_NAME", "near-" + RUN)
              // one machine's loopback: the data grid binds 127.0.0.1, one port per node
              .withEnv("KABAR_CLUSTER_PORT", String.valueOf(6911 + i))
              .withEnv("KABAR_CLUSTER_MEMBERS", "127.0.0.1:6911,127.0.0.1:6912,127.0.0.1:6913");
      NodeProcess.wipe(node);
      settings.add(node);
    }
    List<NodeProcess> nodes = NodeProcess.startTogether(settings);
    try {
      for (NodeProcess.Settings node : settings) {
        Gauges.await(node, "kabar_peers_active", n -> n == 2, node.name() + " lists both others");
      }
      for (NodeProcess node : nodes) {
        node.awaitOutput("DG Size: 3", Duration.ofSeconds(60), "one Payara Micro cluster of three");
      }
      InetSocketAddress atA = new InetSocketAddress(HOSTS[0], 4999);
      String sender = "near-s-" + RUN;
      String away = "near-r-" + RUN;
      try (Chatter s = ChatClients.connect(new Backoff(500, 3), atA)) {
        s.client().register(sender, PASSWORD);
        s.client().register(away, PASSWORD); // registration still goes to all at once (S3.2)
        s.client().login(sender, PASSWORD);

        // a message for a user who is away: no server to route it to, only the nearest links
        long copiesBefore = Gauges.sum(settings, COPIES);
        s.client().send(away, "first, while everyone is up");
        for (NodeProcess.Settings node : settings) {
          Gauges.await(
              node, "kabar_messages_undelivered", n -> n == 1, node.name() + " holds the message");
        }
        assertEquals(
            2, Gauges.sum(settings, COPIES) - copiesBefore, "a to b, b to c: N-1 copies, no echo");

        // the console of c, signed in through c's setup link, shows all three servers
        try (Browser browser = new Browser()) {
          signIn(browser, nodes.get(2));
          for (String name : List.of("near-a", "near-b", "near-c (this node)")) {
            browser.awaitText("servers", name);
          }
          browser.awaitText("servers-active", "3 of 3");
          // each server's load, as it answered LOAD?: a has the sender logged in, quota 1
          awaitLine(browser, "near-a", " 1 / 1 ");
          awaitLine(browser, "near-b", " 0 / 100 ");

          // an account disabled on c's console: b ends its session there and refuses its login
          String doomed = "near-d-" + RUN;
          BlockingQueue<ClientReply> pushes = new LinkedBlockingQueue<>();
          try (MessengerClient d =
              new MessengerClient(
                  List.of(new InetSocketAddress(HOSTS[1], 4999)),
                  new Backoff(500, 3),
                  pushes::add,
                  true)) {
            d.register(doomed, PASSWORD);
            d.login(doomed, PASSWORD);
            browser.click("nav-users");
            browser.type("users:text", doomed);
            long deadline = System.nanoTime() + 20_000_000_000L;
            do { // until c has heard of the session at b
              browser.click("users:search");
              Thread.sleep(300);
            } while (!browser.find("users:table").getText().contains("near-b")
                && System.nanoTime() < deadline);
            browser.find("users:table:0:open").click();
            browser.awaitText("account-sessions", "at near-b");
            browser.click("actions:disable");
            browser.driver().switchTo().alert().accept();
            browser.awaitText("account-state", "disabled");
            ClientReply told = pushes.poll(10, TimeUnit.SECONDS);
            while (told != null && !(told instanceof SessionEnded)) {
              told = pushes.poll(10, TimeUnit.SECONDS);
            }
            assertEquals(new SessionEnded("disabled"), told, "b ended the session");
            RefusedException refused =
                assertThrows(RefusedException.class, () -> d.login(doomed, PASSWORD));
            assertEquals(ErrorCode.ACCOUNT_DISABLED, refused.code());
          }
          browser.click("nav-overview");
          browser.find("servers");

          assertEquals(
              2,
              Gauges.sum(settings, COPIES) - copiesBefore,
              "still two copies of the one message, seconds later: none came back");

          // the middle server dies; the console of c shows it inactive without a reload
          nodes.get(1).kill9();
          browser.awaitText("servers-active", "2 of 3");
          assertTrue(
              browser
                  .find("servers")
                  .getText()
                  .lines()
                  .anyMatch(line -> line.contains("near-b") && line.contains("inactive")),
              browser.find("servers").getText());
          awaitLine(browser, "near-b", " / — "); // a dead server's load is not made up
          browser.screenshot("console-three-nodes-one-dead");
        }

        // the next update finds another way
        s.client().send(away, "second, with b dead");
        for (NodeProcess.Settings node : List.of(settings.get(0), settings.get(2))) {
          Gauges.await(
              node, "kabar_messages_undelivered", n -> n == 2, node.name() + " holds both");
        }

        // a is full (quota 1, the sender): a second login there is sent on to an active server
        String late = "near-l-" + RUN;
        s.client().register(late, PASSWORD);
        try (Chatter l = ChatClients.connect(new Backoff(500, 3), atA)) {
          l.client().login(late, PASSWORD);
          assertEquals(
              new InetSocketAddress(HOSTS[2], 4999),
              l.client().server(),
              "logged in at c, the one active server a suggested (b is dead)");
        }
      }
      try (Chatter r = ChatClients.connect(new InetSocketAddress(HOSTS[2], 4999))) {
        r.client().login(away, PASSWORD);
        List<String> shown = new ArrayList<>();
        Delivery next;
        while (shown.size() < 2 && (next = r.next(Duration.ofSeconds(10))) != null) {
          shown.add(next.text());
        }
        assertEquals(
            List.of("first, while everyone is up", "second, with b dead"),
            shown,
            "both reach the user at c, in order");
      }
    } finally {
      for (NodeProcess node : nodes) {
        node.close();
      }
    }
  }

  /** Creates the first administrator through the node's setup link and signs in. */
  private static void signIn(Browser browser, NodeProcess node) {
    Matcher link =
        Pattern.compile("no administrator yet: create the first at (\\S+)").matcher(node.output());
    assertTrue(link.find(), "the node logs a one-time setup link");
    browser.open(link.group(1));
    browser.type("setup:name", "operator");
    browser.type("setup:password", "near-links-admin");
    browser.click("setup:create");
    browser.type("login:name", "operator");
    browser.type("login:password", "near-links-admin");
    browser.click("login:submit");
    browser.find("servers");
  }

  /** Waits until the overview's line of a server holds a text. */
  private static void awaitLine(Browser browser, String server, String text)
      throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (browser
        .textOf("servers")
        .lines()
        .noneMatch(line -> line.contains(server) && line.contains(text))) {
      assertTrue(
          System.nanoTime() < deadline,
          server + " never showed " + text + ":\n" + browser.textOf("servers"));
      Thread.sleep(500);
    }
  }
}
