package org.kabar.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.kabar.client.Backoff;
import org.kabar.client.RefusedException;
import org.kabar.protocol.client.ClientReply.Delivery;
import org.kabar.protocol.client.Command;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.systemtest.ChatClients.Chatter;

/**
 * Three servers, users spread over them, one name registered at all three at once, chat one to one,
 * in a channel and to everyone across servers, steady traffic, and one server killed with {@code
 * kill -9} in the middle (seed S3.3–S3.7): every message accepted before, during and after reaches
 * its recipient exactly once, the dead server's clients carry on at a survivor with their sessions,
 * nobody is left on the dead server, and the server comes back and catches up.
 */
class FailoverIT {

  private static final String PASSWORD = "secret-123";
  private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000, 36);

  /**
   * The clients' alive interval in this test: a request unanswered for this long makes the client
   * move on. Retransmissions after 0.5, 1 and 2 s (each stretched by up to half) fit in it.
   */
  private static final Duration ALIVE = Duration.ofSeconds(6);

  private static final Backoff BACKOFF = new Backoff(500, 2);

  private static final String[] HOSTS = {"127.0.0.61", "127.0.0.62", "127.0.0.63"};

  @Test
  void aKilledServersClientsCarryOnAndNoMessageIsLostOrShownTwice() throws Exception {
    List<NodeProcess.Settings> settings = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      NodeProcess.Settings node =
          NodeProcess.Settings.on("fo-" + (char) ('a' + i), HOSTS[i])
              .withPorts(4999, 5000, 18101 + i)
              .withPeers(NodeProcess.peersBefore(HOSTS, i))
              .withEnv("KABAR_PEER_CHECK_SECONDS", "2")
              .withEnv("KABAR_REPLICATION_SECONDS", "3");
      NodeProcess.wipe(node);
      settings.add(node);
    }
    List<NodeProcess> nodes = NodeProcess.startTogether(settings);
    try {
      for (NodeProcess.Settings node : settings) {
        Gauges.await(node, "kabar_peers_active", n -> n == 2, node.name() + " lists both others");
      }

      // two users per server; each client lists its own server first, then the others
      int users = 6;
      List<String> names = new ArrayList<>();
      List<Chatter> chatters = new ArrayList<>();
      for (int u = 0; u < users; u++) {
        int home = u / 2;
        names.add("fo" + u + "-" + RUN);
        chatters.add(ChatClients.connect(BACKOFF, serversFrom(home)));
      }
      for (int u = 0; u < users; u++) {
        chatters.get(u).client().register(names.get(u), PASSWORD);
      }
      for (int u = 0; u < users; u++) {
        Chatter chatter = chatters.get(u);
        String name = names.get(u);
        ChatClients.soon(() -> chatter.client().login(name, PASSWORD));
      }
      String offline = "fo-away-" + RUN;
      try (Chatter away = ChatClients.connect(BACKOFF, serversFrom(1))) {
        away.client().register(offline, PASSWORD);
      }
      for (NodeProcess.Settings node : settings) {
        Gauges.await(node, "kabar_sessions_here", n -> n == 2, node.name() + " serves two");
      }

      // one name registered at all three servers at the same instant: exactly one account
      String contested = "fo-race-" + RUN;
      ExecutorService racers = Executors.newFixedThreadPool(3);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Boolean>> outcomes = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        int server = i;
        outcomes.add(
            racers.submit(
                () -> {
                  try (Chatter racer = ChatClients.connect(BACKOFF, servers()[server])) {
                    go.await();
                    racer.client().register(contested, "password-" + server);
                    return true;
                  } catch (RefusedException refused) {
                    return false;
                  }
                }));
      }
      go.countDown();
      int won = 0;
      for (Future<Boolean> outcome : outcomes) {
        won += outcome.get(30, TimeUnit.SECONDS) ? 1 : 0;
      }
      racers.shutdown();
      assertEquals(1, won, "exactly one of three simultaneous registrations succeeds");

      // across servers, in real time: a user at a to a user at b, and back
      chatters.get(0).client().send(names.get(2), "hello b from a");
      assertEquals("hello b from a", chatters.get(2).next(Duration.ofSeconds(10)).text());
      chatters.get(2).client().send(names.get(0), "hello a from b");
      assertEquals("hello a from b", chatters.get(0).next(Duration.ofSeconds(10)).text());

      // a channel made at a, joined by users of b and c; a message to it and one to everyone
      String channel = "#fo-" + RUN;
      chatters.get(0).client().request(new Command.CreateChannel(channel));
      for (int u : new int[] {3, 5}) {
        chatters.get(0).client().request(new Command.Invite(channel, names.get(u)));
        Delivery invitation = chatters.get(u).next(Duration.ofSeconds(10));
        assertTrue(invitation != null && invitation.text().contains(channel), "invited " + u);
        Chatter member = chatters.get(u);
        ChatClients.soon(() -> member.client().request(new Command.Join(channel)));
      }
      assertEquals(
          List.of(names.get(0), names.get(3), names.get(5)),
          chatters.get(5).client().members(channel),
          "c sees the members a and b recorded");
      chatters.get(0).client().send(channel, "to the channel from a");
      for (int u : new int[] {3, 5}) {
        Delivery got = chatters.get(u).next(Duration.ofSeconds(10));
        assertEquals("to the channel from a", got == null ? null : got.text());
        assertEquals(channel, got.to());
      }
      // "all" means everyone online: wait until c sees all six (its view of the other servers)
      ChatClients.soon(
          () -> {
            if (!chatters.get(4).client().online().containsAll(names)) {
              throw new RefusedException(ErrorCode.NO_SUCH_USER, "not everyone seen online yet");
            }
          });
      chatters.get(4).client().send("all", "to everyone from c");
      for (int u = 0; u < users; u++) {
        if (u != 4) {
          Delivery got = chatters.get(u).next(Duration.ofSeconds(10));
          assertEquals("to everyone from c", got == null ? null : got.text(), names.get(u));
        }
      }

      // steady traffic: each user sends to a user on another server; node a dies in the middle
      Map<Integer, Integer> recipientOf = Map.of(0, 2, 1, 5, 2, 4, 3, 1, 4, 0, 5, 3);
      Map<String, Set<String>> accepted = new ConcurrentHashMap<>();
      names.forEach(name -> accepted.put(name, ConcurrentHashMap.newKeySet()));
      AtomicLong killedAt = new AtomicLong();
      Map<Integer, Long> servedAgainAfter = new ConcurrentHashMap<>();
      ExecutorService senders = Executors.newFixedThreadPool(users);
      List<Future<?>> sending = new ArrayList<>();
      int perSender = 40;
      for (int u = 0; u < users; u++) {
        int from = u;
        sending.add(
            senders.submit(
                () -> {
                  for (int i = 0; i < perSender; i++) {
                    String text = "m" + i + " from " + names.get(from);
                    chatters.get(from).client().send(names.get(recipientOf.get(from)), text);
                    accepted.get(names.get(recipientOf.get(from))).add(text);
                    long kill = killedAt.get();
                    if (kill != 0) {
                      servedAgainAfter.putIfAbsent(from, System.nanoTime() - kill);
                    }
                    Thread.sleep(100);
                  }
                  return null;
                }));
      }
      Thread.sleep(1_500);
      killedAt.set(System.nanoTime());
      nodes.get(0).kill9();
      for (Future<?> sender : sending) {
        sender.get(3, TimeUnit.MINUTES);
      }
      senders.shutdown();

      for (int u = 0; u < 2; u++) {
        long took = servedAgainAfter.get(u);
        System.out.printf(
            "FailoverIT: %s (on the killed server) served again %d ms after the kill%n",
            names.get(u), took / 1_000_000);
        assertTrue(
            took <= 2 * ALIVE.toNanos(),
            names.get(u) + " served again after " + took / 1_000_000 + " ms");
      }

      // every accepted message shown exactly once (texts are unique; ids could hide a copy)
      for (int u = 0; u < users; u++) {
        Set<String> expected = accepted.get(names.get(u));
        List<String> shown = drain(chatters.get(u), expected.size(), Duration.ofSeconds(45));
        assertEquals(expected.size(), shown.size(), names.get(u) + " shown " + shown);
        assertEquals(expected, Set.copyOf(shown), names.get(u) + " was shown every message once");
      }

      // nobody is left on the dead server: the survivors serve all six
      long served =
          Gauges.read(settings.get(1), "kabar_sessions_here")
              + Gauges.read(settings.get(2), "kabar_sessions_here");
      assertEquals(users, served, "the survivors serve every user");

      // while a is down, a message for a user away; then a comes back and catches up
      chatters.get(2).client().send(offline, "kept for you while a was down");
      NodeProcess restarted = NodeProcess.start(settings.get(0)).assertReady();
      nodes.set(0, restarted);
      for (NodeProcess.Settings node : settings) {
        Gauges.await(node, "kabar_peers_active", n -> n == 2, node.name() + " lists a again");
      }
      try (Chatter away = ChatClients.connect(BACKOFF, serversFrom(0))) {
        ChatClients.soon(() -> away.client().login(offline, PASSWORD));
        Delivery kept = away.next(Duration.ofSeconds(15));
        assertEquals("kept for you while a was down", kept == null ? null : kept.text());
        assertEquals(servers()[0], away.client().server(), "served by the restarted a");
      }
      assertEquals(
          1,
          Gauges.read(settings.get(0), "kabar_sessions_here"),
          "a serves only its new login: the sessions it had moved on while it was down");
      chatters.forEach(Chatter::close);
    } finally {
      for (NodeProcess node : nodes) {
        node.close();
      }
    }
  }

  /** Every message shown until {@code count} arrived or nothing more comes. */
  private static List<String> drain(Chatter chatter, int count, Duration patience)
      throws InterruptedException {
    List<String> shown = new ArrayList<>();
    long deadline = System.nanoTime() + patience.toNanos();
    while (System.nanoTime() < deadline) {
      Delivery next = chatter.next(Duration.ofSeconds(1));
      if (next != null) {
        shown.add(next.text());
      } else if (shown.size() >= count) {
        break;
      }
    }
    Delivery extra;
    while ((extra = chatter.next(Duration.ofSeconds(2))) != null) {
      shown.add(extra.text()); // a copy arriving late would show here
    }
    return shown;
  }

  private static InetSocketAddress[] servers() {
    InetSocketAddress[] all = new InetSocketAddress[HOSTS.length];
    for (int i = 0; i < HOSTS.length; i++) {
      all[i] = new InetSocketAddress(HOSTS[i], 4999);
    }
    return all;
  }

  /** All servers, starting with one's home server. */
  private static InetSocketAddress[] serversFrom(int home) {
    InetSocketAddress[] all = servers();
    InetSocketAddress[] ordered = new InetSocketAddress[all.length];
    for (int i = 0; i < all.length; i++) {
      ordered[i] = all[(home + i) % all.length];
    }
    return ordered;
  }
}
