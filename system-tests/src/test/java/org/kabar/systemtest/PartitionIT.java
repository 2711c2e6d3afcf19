package org.kabar.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kabar.client.RefusedException;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.systemtest.ChatClients.Chatter;

/**
 * A partition between servers (issue 31), every setting at its default: three servers whose peer
 * links all cross relays the test controls (each server advertises its relay's address); one of
 * them is cut off from the other two without a word, as a failed switch would. The cut is noticed
 * in seconds on both sides; the lone server refuses to register a name (most servers must take
 * part) while its users still sign in; the two others register. After the heal every server has the
 * same accounts, nobody lost one, and the lone server registers again.
 */
class PartitionIT {

  private static final String PASSWORD = "secret-123";
  private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
  private static final String[] NAMES = {"part-a", "part-b", "part-c"};
  private static final String[] HOSTS = {"127.0.6.1", "127.0.6.2", "127.0.6.3"};
  private static final String[] RELAYS = {"127.0.6.11", "127.0.6.12", "127.0.6.13"};

  @Test
  void theSmallerSideRefusesNamesAndAfterTheHealEveryServerHasTheSameAccounts() throws Exception {
    List<PeerRelay> relays = new ArrayList<>();
    List<NodeProcess.Settings> settings = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      relays.add(new PeerRelay(RELAYS[i], 5000, new InetSocketAddress(HOSTS[i], 5000)));
      List<String> others = new ArrayList<>();
      for (int j = 0; j < 3; j++) {
        if (j != i) {
          others.add(RELAYS[j] + ":5000");
        }
      }
      NodeProcess.Settings node =
          NodeProcess.Settings.on(NAMES[i], HOSTS[i])
              .withPorts(4999, 5000, 18611 + i)
              .withPeers(String.join(",", others))
              .withEnv("KABAR_ADVERTISE", RELAYS[i]);
      NodeProcess.wipe(node);
      settings.add(node);
    }
    InetSocketAddress a = new InetSocketAddress(HOSTS[0], 4999);
    InetSocketAddress b = new InetSocketAddress(HOSTS[1], 4999);
    InetSocketAddress c = new InetSocketAddress(HOSTS[2], 4999);
    List<NodeProcess> nodes = NodeProcess.startTogether(settings);
    try {
      for (NodeProcess.Settings node : settings) {
        Gauges.await(node, "kabar_peers_active", n -> n == 2, node.name() + " lists both others");
      }
      String before = "early-" + RUN;
      register(a, before);
      loginSoon(c, before);

      // c is cut off: nothing from a or b reaches it, nothing from it reaches them
      long cutAt = System.nanoTime();
      relays.get(2).cut(null);
      relays.get(0).cut(Set.of(NAMES[2]));
      relays.get(1).cut(Set.of(NAMES[2]));
      Gauges.await(settings.get(2), "kabar_peers_active", n -> n == 0, "c noticed the cut");
      double cNoticed = (System.nanoTime() - cutAt) / 1e9;
      Gauges.await(settings.get(0), "kabar_peers_active", n -> n == 1, "a noticed the cut");
      Gauges.await(settings.get(1), "kabar_peers_active", n -> n == 1, "b noticed the cut");
      System.out.printf(
          "partition noticed by the lone server after %.1f s, by both others after %.1f s%n",
          cNoticed, (System.nanoTime() - cutAt) / 1e9);

      String lone = "lone-" + RUN;
      RefusedException refused = assertThrows(RefusedException.class, () -> register(c, lone));
      assertEquals(ErrorCode.NO_MAJORITY, refused.code(), "the lone server must not register");
      String contested = "both-" + RUN;
      RefusedException again = assertThrows(RefusedException.class, () -> register(c, contested));
      assertEquals(ErrorCode.NO_MAJORITY, again.code());
      register(b, contested); // the larger side registers the same name
      String larger = "major-" + RUN;
      register(a, larger);
      loginSoon(b, larger);
      loginSoon(b, contested);
      try (Chatter chatter = ChatClients.connect(c)) {
        chatter.client().login(before, PASSWORD); // the lone server's users still sign in
      }

      for (PeerRelay relay : relays) {
        relay.heal();
      }
      for (NodeProcess.Settings node : settings) {
        Gauges.await(node, "kabar_peers_active", n -> n == 2, node.name() + " after the heal");
      }
      for (InetSocketAddress server : List.of(a, b, c)) {
        for (String name : List.of(before, contested, larger)) {
          loginWithin(server, name, 30); // the same accounts everywhere, none lost
        }
      }
      register(c, lone); // all together again: the lone server registers
      loginSoon(a, lone);
      loginSoon(b, lone);
    } finally {
      for (NodeProcess node : nodes) {
        node.close();
      }
      for (PeerRelay relay : relays) {
        relay.close();
      }
    }
  }

  private static void register(InetSocketAddress server, String name) throws Exception {
    try (Chatter chatter = ChatClients.connect(server)) {
      chatter.client().register(name, PASSWORD);
    }
  }

  /** Logs in at a server once the account has reached it, waiting up to the given seconds. */
  private static void loginWithin(InetSocketAddress server, String name, int seconds)
      throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (true) {
      try (Chatter chatter = ChatClients.connect(server)) {
        chatter.client().login(name, PASSWORD);
        return;
      } catch (RefusedException notYet) {
        if (System.nanoTime() > deadline) {
          throw notYet;
        }
        Thread.sleep(200);
      }
    }
  }

  /** Logs in at a server once the account has reached it. */
  private static void loginSoon(InetSocketAddress server, String name) throws Exception {
    ChatClients.soon(
        () -> {
          try (Chatter chatter = ChatClients.connect(server)) {
            chatter.client().login(name, PASSWORD);
          }
        });
  }
}
