package org.kabar.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.kabar.client.RefusedException;
import org.kabar.protocol.client.ClientCodec;
import org.kabar.protocol.client.ClientReply.Delivery;
import org.kabar.protocol.client.Command;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.protocol.client.Request;
import org.kabar.systemtest.ChatClients.Chatter;

/**
 * Three servers with every cluster setting at its default (issue 31): started at the same instant,
 * each naming the others, they form one deployment within seconds and without a failed update in
 * any log; one of them under full load is not taken for dead; killed with {@code kill -9}, its
 * users are served again by a survivor within 10 s, with no message lost or shown twice; the two
 * left register a name, and one left alone refuses to (most servers must take part). The clients
 * use their default timings too.
 */
class ClusterDefaultsIT {

  private static final String PASSWORD = "secret-123";
  private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
  private static final String[] HOSTS = {"127.0.0.81", "127.0.0.82", "127.0.0.83"};

  /** What a failed update of the server list looked like in a node's log. */
  private static final List<String> FAILED_UPDATES =
      List.of(
          "OptimisticLock", "duplicate key", "UX_SERVER_LIST", "rolled back", "RollbackException");

  /** Copies of messages a node sent to other servers. */
  private static final String COPIES = "kabar_peer_copies_sent_messages";

  /**
   * Each update of a message crosses to each other server once (N-1 = 2 copies), with the default
   * fanout of 2: a new message, and its delivery (the ACK), also where the recipient is connected
   * to another server than the sender; no server sends one back.
   */
  private static void copiesOncePerServer(
      List<NodeProcess.Settings> settings, Chatter heard, Chatter sender, String listener)
      throws Exception {
    String away = "away-" + RUN;
    ChatClients.soon(() -> sender.client().register(away, PASSWORD));
    long before = Gauges.sum(settings, COPIES);
    sender.client().send(away, "for someone away");
    for (NodeProcess.Settings node : settings) {
      Gauges.await(node, "kabar_messages_undelivered", n -> n == 1, node.name() + " holds it");
    }
    assertEquals(2, Gauges.sum(settings, COPIES) - before, "a new message: to b and c once");
    sender.client().send(listener, "for someone at a");
    Delivery shown = heard.next(Duration.ofSeconds(10));
    assertTrue(shown != null && shown.text().equals("for someone at a"), "pushed at a");
    // stored (2 copies), then delivered and acknowledged at a (2 more): 4 in all, then a third
    // message to someone away, which every server holds only after any stray copy of the others
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (Gauges.sum(settings, COPIES) - before < 6 && System.nanoTime() < until) {
      Thread.sleep(100); // polls the gauges: the condition awaited
    }
    sender.client().send(away, "again for someone away");
    for (NodeProcess.Settings node : settings) {
      Gauges.await(node, "kabar_messages_undelivered", n -> n == 2, node.name() + " holds both");
    }
    assertEquals(
        8,
        Gauges.sum(settings, COPIES) - before,
        "three messages and one delivery, each to the two other servers once: no echo");
  }

  @Test
  void serversStartedTogetherFormCarryLoadAndFailOverWithTheDefaults() throws Exception {
    List<NodeProcess.Settings> settings = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      List<String> others = new ArrayList<>();
      for (int j = 0; j < 3; j++) {
        if (j != i) {
          others.add(HOSTS[j] + ":5000");
        }
      }
      NodeProcess.Settings node =
          NodeProcess.Settings.on("cd-" + (char) ('a' + i), HOSTS[i])
              .withPorts(4999, 5000, 18121 + i)
              .withPeers(String.join(",", others));
      NodeProcess.wipe(node);
      settings.add(node);
    }
    List<NodeProcess> nodes = NodeProcess.startTogether(settings);
    try {
      // formation: one deployment within 5 s of the last node's readiness
      long ready = System.nanoTime();
      long formed = 0;
      while (System.nanoTime() - ready < Duration.ofSeconds(30).toNanos()) {
        boolean all = true;
        for (NodeProcess.Settings node : settings) {
          all &= Gauges.read(node, "kabar_peers_active") == 2;
        }
        if (all) {
          formed = System.nanoTime() - ready;
          break;
        }
        Thread.sleep(100); // polls the gauges: the condition awaited
      }
      System.out.printf(
          "ClusterDefaultsIT: one deployment %d ms after the last node was ready%n",
          formed / 1_000_000);
      assertTrue(formed > 0, "the three servers never all listed each other active");
      assertTrue(formed <= Duration.ofSeconds(5).toNanos(), "formed after " + formed / 1_000_000);
      for (NodeProcess node : nodes) {
        for (String failure : FAILED_UPDATES) {
          assertFalse(
              node.output().contains(failure),
              node.settings().name() + "'s log has '" + failure + "' from the start");
        }
      }

      // users: a listener and a sender on a, a sender on b, each client listing all servers
      String listener = "lis-" + RUN;
      String talker = "tal-" + RUN;
      try (Chatter heard = ChatClients.connect(serversFrom(0));
          Chatter sender = ChatClients.connect(serversFrom(1))) {
        heard.client().register(listener, PASSWORD);
        ChatClients.soon(() -> sender.client().register(talker, PASSWORD));
        heard.client().login(listener, PASSWORD);
        ChatClients.soon(() -> sender.client().login(talker, PASSWORD));
        copiesOncePerServer(settings, heard, sender, listener);

        // full load on a while b and c watch it: a is never taken for dead. Raw clients keep
        // SENDs in flight without waiting, many sessions (each is held to its own rate)
        int loaders = 16;
        List<UdpClient> raw = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int u = 0; u < loaders; u++) {
          UdpClient client = new UdpClient(HOSTS[0], 4999);
          raw.add(client);
          String name = "load" + u + "-" + RUN;
          client.register(name, PASSWORD);
          tokens.add(client.login(name, PASSWORD));
        }
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicLong stored = new AtomicLong();
        ExecutorService load = Executors.newFixedThreadPool(loaders);
        List<Future<?>> loadDone = new ArrayList<>();
        for (int u = 0; u < loaders; u++) {
          UdpClient client = raw.get(u);
          String token = tokens.get(u);
          String to = "load" + ((u + 1) % loaders) + "-" + RUN;
          loadDone.add(
              load.submit(
                  () -> {
                    client.socket().setSoTimeout(100);
                    while (loading.get()) {
                      for (int k = 0; k < 32; k++) {
                        Request send =
                            new Request(client.nextSeq(), token, new Command.Send(to, "load " + k));
                        byte[] bytes = ClientCodec.encodeRequest(send);
                        client
                            .socket()
                            .send(new DatagramPacket(bytes, bytes.length, client.server()));
                      }
                      for (String d = client.receive(); d != null; d = client.receive()) {
                        if (d.contains(" OK SEND ")) {
                          stored.incrementAndGet();
                        }
                      }
                    }
                    return null;
                  }));
        }
        Duration cpuBefore = nodes.get(0).cpuTime();
        long shedBefore = Gauges.read(settings.get(0), "kabar_client_sends_shed");
        long loadStart = System.nanoTime();
        long loadUntil = loadStart + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < loadUntil) {
          for (int i = 1; i < 3; i++) {
            long active = Gauges.read(settings.get(i), "kabar_peers_active");
            assertEquals(2, active, settings.get(i).name() + " lost a peer under load");
          }
          Thread.sleep(500); // samples the survivors' view throughout the load
        }
        loading.set(false);
        for (Future<?> done : loadDone) {
          done.get(1, TimeUnit.MINUTES);
        }
        load.shutdown();
        raw.forEach(UdpClient::close);
        double seconds = (System.nanoTime() - loadStart) / 1e9;
        double cpu = (nodes.get(0).cpuTime().minus(cpuBefore)).toMillis() / 1000.0;
        long shed = Gauges.read(settings.get(0), "kabar_client_sends_shed") - shedBefore;
        System.out.printf(
            "ClusterDefaultsIT: a stored %d messages of load in %.1f s (%.0f/s) and refused %d"
                + " busy, using %.1f s of CPU (%.2f of the machine's 2 cores) while b and c"
                + " watched%n",
            stored.get(), seconds, stored.get() / seconds, shed, cpu, cpu / seconds);
        for (int i = 1; i < 3; i++) {
          assertFalse(
              nodes.get(i).output().contains("cd-a at " + HOSTS[0] + ":5000 is down"),
              settings.get(i).name() + " took the loaded a for dead");
          assertFalse(
              nodes.get(i).output().contains("cd-a at " + HOSTS[0] + ":5000 missed its beats"),
              settings.get(i).name() + " suspected the loaded a");
        }

        // failover with the defaults: a killed, its listener served again within 10 s
        Map<String, Long> accepted = new ConcurrentHashMap<>(); // text: when it was accepted
        AtomicLong killedAt = new AtomicLong();
        AtomicBoolean sending = new AtomicBoolean(true);
        ExecutorService talk = Executors.newSingleThreadExecutor();
        Future<?> talking =
            talk.submit(
                () -> {
                  for (int i = 0; sending.get(); i++) {
                    String text = "m" + i;
                    sender.client().send(listener, text);
                    accepted.put(text, System.nanoTime());
                    Thread.sleep(250); // a steady chat, four messages a second
                  }
                  return null;
                });
        Delivery before = heard.next(Duration.ofSeconds(10));
        assertTrue(before != null, "the listener hears the talker before the kill");
        killedAt.set(System.nanoTime());
        nodes.get(0).kill9();
        long heardAgain = 0;
        List<String> shown = new ArrayList<>(List.of(before.text()));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
          Delivery next = heard.next(Duration.ofMillis(200));
          if (next != null) {
            shown.add(next.text());
            Long acceptedAt = accepted.get(next.text());
            if (acceptedAt != null && acceptedAt - killedAt.get() > 0) {
              heardAgain = System.nanoTime() - killedAt.get();
              break;
            }
          }
        }
        System.out.printf(
            "ClusterDefaultsIT: the killed server's user heard again %d ms after the kill%n",
            heardAgain / 1_000_000);
        assertTrue(heardAgain > 0, "the killed server's user never heard again");
        assertTrue(
            heardAgain <= Duration.ofSeconds(10).toNanos(),
            "heard again after " + heardAgain / 1_000_000 + " ms");
        Thread.sleep(2_000); // a little more chat at the survivor
        sending.set(false);
        talking.get(1, TimeUnit.MINUTES);
        talk.shutdown();

        Delivery more;
        while ((more = heard.next(Duration.ofSeconds(5))) != null) {
          shown.add(more.text());
        }
        assertEquals(accepted.keySet(), Set.copyOf(shown), "every accepted message shown");
        assertEquals(shown.size(), Set.copyOf(shown).size(), "none shown twice: " + shown);
        assertFalse(
            heard.client().server().equals(new InetSocketAddress(HOSTS[0], 4999)),
            "the listener moved to a survivor");
      }

      // names: two of three servers are most of them and register; one alone is not and refuses
      try (Chatter newcomer = ChatClients.connect(new InetSocketAddress(HOSTS[1], 4999))) {
        newcomer.client().register("after-" + RUN, PASSWORD);
        nodes.get(2).kill9();
        Gauges.await(settings.get(1), "kabar_peers_active", n -> n == 0, "b alone");
        RefusedException alone =
            assertThrows(
                RefusedException.class,
                () -> newcomer.client().register("alone-" + RUN, PASSWORD),
                "b alone of three registers nothing");
        assertEquals(ErrorCode.NO_MAJORITY, alone.code());
        newcomer.client().login("after-" + RUN, PASSWORD); // logging in goes on
      }
    } finally {
      for (NodeProcess node : nodes) {
        node.close();
      }
    }
  }

  private static InetSocketAddress[] serversFrom(int home) {
    InetSocketAddress[] ordered = new InetSocketAddress[HOSTS.length];
    for (int i = 0; i < HOSTS.length; i++) {
      ordered[i] = new InetSocketAddress(HOSTS[(home + i) % HOSTS.length], 4999);
    }
    return ordered;
  }
}
