package org.kabar.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.kabar.client.RefusedException;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.systemtest.ChatClients.Chatter;

/**
 * Registration across servers (seed S3.2): an account made at one server signs in at another, a
 * name registered at two servers at the same instant exists once, and a removal reaches all.
 */
class UserReplicationIT {

  private static final String PASSWORD = "secret-123";

  @Test
  void accountsReachEveryServerAndNoNameExistsTwice() throws Exception {
    NodeProcess.Settings a = node("users-a", "127.0.0.51", 18091, "");
    NodeProcess.Settings b = node("users-b", "127.0.0.52", 18092, "127.0.0.51:5000");
    NodeProcess.wipe(a);
    NodeProcess.wipe(b);
    InetSocketAddress atA = new InetSocketAddress("127.0.0.51", 4999);
    InetSocketAddress atB = new InetSocketAddress("127.0.0.52", 4999);
    try (NodeProcess nodeA = NodeProcess.start(a).assertReady();
        NodeProcess nodeB = NodeProcess.start(b).assertReady()) {
      Gauges.await(a, "kabar_peers_active", n -> n == 1, "a lists b");
      Gauges.await(b, "kabar_peers_active", n -> n == 1, "b lists a");

      register(atA, "wayan", PASSWORD);
      loginSoon(atB, "wayan", PASSWORD); // registered at a, signs in at b
      RefusedException taken =
          assertThrows(RefusedException.class, () -> register(atB, "wayan", "other-pass"));
      assertEquals(ErrorCode.NAME_TAKEN, taken.code());

      ExecutorService racers = Executors.newFixedThreadPool(2);
      try {
        for (int round = 0; round < 10; round++) {
          String name = "race-" + round;
          CountDownLatch go = new CountDownLatch(1);
          Future<String> viaA = racers.submit(() -> race(go, atA, name, "password-a"));
          Future<String> viaB = racers.submit(() -> race(go, atB, name, "password-b"));
          go.countDown();
          List<String> outcomes = new ArrayList<>(List.of(viaA.get(), viaB.get()));
          assertEquals(
              1, outcomes.stream().filter(o -> o.startsWith("ok")).count(), name + outcomes);
          String winner = outcomes.stream().filter(o -> o.startsWith("ok")).findFirst().get();
          String password = winner.substring(3);
          for (InetSocketAddress server : List.of(atA, atB)) {
            loginSoon(server, name, password); // one account, the same everywhere
          }
        }
      } finally {
        racers.shutdownNow();
      }

      try (Chatter wayan = ChatClients.connect(atA)) {
        wayan.client().login("wayan", PASSWORD);
        wayan.client().unregister(PASSWORD);
      }
      Thread.sleep(1_000);
      try (Chatter wayan = ChatClients.connect(atB)) {
        RefusedException gone =
            assertThrows(RefusedException.class, () -> wayan.client().login("wayan", PASSWORD));
        assertEquals(ErrorCode.WRONG_CREDENTIALS, gone.code(), "the removal reached b");
      }
    }
  }

  /** Logs in at a server once the account has reached it. */
  private static void loginSoon(InetSocketAddress server, String name, String password)
      throws Exception {
    ChatClients.soon(
        () -> {
          try (Chatter chatter = ChatClients.connect(server)) {
            chatter.client().login(name, password);
          }
        });
  }

  private static String race(
      CountDownLatch go, InetSocketAddress server, String name, String password) throws Exception {
    go.await();
    try {
      register(server, name, password);
      return "ok " + password;
    } catch (RefusedException refused) {
      return "refused " + refused.code();
    }
  }

  private static void register(InetSocketAddress server, String name, String password)
      throws Exception {
    try (Chatter chatter = ChatClients.connect(server)) {
      chatter.client().register(name, password);
    }
  }

  private static NodeProcess.Settings node(String name, String host, int http, String peers) {
    return NodeProcess.Settings.on(name, host)
        .withPorts(4999, 5000, http)
        .withPeers(peers)
        .withEnv("KABAR_PEER_CHECK_SECONDS", "1");
  }
}
