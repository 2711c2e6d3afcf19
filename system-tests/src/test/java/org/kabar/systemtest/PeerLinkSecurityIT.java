package org.kabar.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.kabar.protocol.client.ClientReply.Delivery;
import org.kabar.protocol.peer.Ping;
import org.kabar.protocol.peer.Pong;
import org.kabar.systemtest.ChatClients.Chatter;
import org.kabar.systemtest.PeerRelay.Attack;
import org.kabar.systemtest.PeerRelay.Connection;

/**
 * Two real nodes whose every peer link crosses an on-path attacker ({@link PeerRelay}: each node
 * advertises the relay's address instead of its own), and a peer port under attack before
 * authentication: what a sniffer sees, what an altered or repeated frame does, whether slow sockets
 * keep a real peer out, and whether a stranger's bytes can write lines into node.log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PeerLinkSecurityIT {

  private static final String PASSWORD = "secret-123";
  private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
  private static final String A_HOST = "127.0.5.1";
  private static final String B_HOST = "127.0.5.2";

  /** Where a reaches b: the relay in front of b, which b advertises as its address. */
  private static final String TO_B = "127.0.5.3";

  /** Where b reaches a. */
  private static final String TO_A = "127.0.5.4";

  private PeerRelay relayToB;
  private PeerRelay relayToA;
  private NodeProcess a;
  private NodeProcess b;

  @BeforeAll
  void startTwoNodesBehindRelays() throws Exception {
    relayToB = new PeerRelay(TO_B, 5000, new InetSocketAddress(B_HOST, 5000));
    relayToA = new PeerRelay(TO_A, 5000, new InetSocketAddress(A_HOST, 5000));
    NodeProcess.Settings atA =
        NodeProcess.Settings.on("guard-a", A_HOST)
            .withPorts(4999, 5000, 18501)
            .withPeers(TO_B + ":5000")
            .withEnv("KABAR_ADVERTISE", TO_A)
            .withEnv("KABAR_PEER_CHECK_SECONDS", "1");
    NodeProcess.Settings atB =
        NodeProcess.Settings.on("guard-b", B_HOST)
            .withPorts(4999, 5000, 18502)
            .withEnv("KABAR_ADVERTISE", TO_B)
            .withEnv("KABAR_PEER_CHECK_SECONDS", "1");
    NodeProcess.wipe(atA);
    NodeProcess.wipe(atB);
    List<NodeProcess> nodes = NodeProcess.startTogether(List.of(atA, atB));
    a = nodes.get(0);
    b = nodes.get(1);
    Gauges.await(atA, "kabar_peers_active", n -> n == 1, "a lists b");
    Gauges.await(atB, "kabar_peers_active", n -> n == 1, "b lists a");
  }

  @AfterAll
  void stopNodes() throws Exception {
    for (AutoCloseable open : new AutoCloseable[] {a, b, relayToA, relayToB}) {
      if (open != null) {
        open.close();
      }
    }
  }

  @Test
  void aSniffedLinkShowsNoFrameText() throws Exception {
    awaitSealedLink(relayToB, 0, "a's link to b");
    awaitSealedLink(relayToA, 0, "b's link to a");
    String ayu = "sniffed-ayu-" + RUN;
    String budi = "sniffed-budi-" + RUN;
    String text = "a secret only budi may read " + RUN;
    InetSocketAddress serverA = new InetSocketAddress(A_HOST, 4999);
    InetSocketAddress serverB = new InetSocketAddress(B_HOST, 4999);
    try (Chatter sender = ChatClients.connect(serverA);
        Chatter recipient = ChatClients.connect(serverB)) {
      sender.client().register(ayu, PASSWORD);
      sender.client().register(budi, PASSWORD);
      ChatClients.soon(() -> recipient.client().login(budi, PASSWORD)); // USER crossed to b
      sender.client().login(ayu, PASSWORD);
      sender.client().send(budi, text);
      Delivery shown = recipient.next(Duration.ofSeconds(20)); // MSG crossed to b
      assertNotNull(shown, "the message reached budi at b");
      assertEquals(text, shown.text());
    }
    String seen = relayToB.seen() + relayToA.seen();
    assertTrue(seen.contains("HELLO guard-a "), "the relay saw the links' handshakes");
    for (String secret :
        List.of(ayu, budi, text, "USER ", "MSG ", "SESSION ", "ANNOUNCE ", "PING ", "PBKDF2")) {
      assertFalse(seen.contains(secret), "the sniffer read '" + secret + "' off the link");
    }
  }

  @Test
  void aTamperedFrameClosesTheLinkAndTheNodesCarryOnAfterRedialling() throws Exception {
    attackAndRecover(Attack.FLIP_A_BIT);
  }

  @Test
  void aReplayedFrameClosesTheLinkAndTheNodesCarryOnAfterRedialling() throws Exception {
    attackAndRecover(Attack.REPLAY);
  }

  /** The relay attacks the next frame a sends b; b must notice, log it, and take a's next link. */
  private void attackAndRecover(Attack attack) throws Exception {
    Connection link = awaitSealedLink(relayToB, 0, "a's link to b");
    int logged = count(b.output(), "failed authentication");
    int before = relayToB.connections().size();
    relayToB.attackNextFrame(attack, link);
    await(Duration.ofSeconds(10), attack + " applied", () -> link.attacked);
    await(Duration.ofSeconds(10), "b closed the link after " + attack, () -> link.closed);
    await(
        Duration.ofSeconds(10),
        "b logged the failed frame",
        () -> count(b.output(), "failed authentication") > logged);
    awaitSealedLink(relayToB, before, "a's next link to b, after " + attack);
  }

  @Test
  void slowSocketsDoNotKeepARealPeerOut() throws Exception {
    awaitSealedLink(relayToB, 0, "a's link to b");
    // 64 sockets from 32 addresses (127.0.5.11-42), each sending a byte every 3 s
    try (SlowSockets attack = new SlowSockets(new InetSocketAddress(B_HOST, 5000), 64, 2, 11)) {
      await(Duration.ofSeconds(20), "every slow socket connected", () -> attack.connects() >= 64);
      System.out.printf(
          "slow sockets: %d connections made, %d open, %d closed by the node%n",
          attack.connects(), attack.open(), attack.closedByNode());
      // a peer that holds the key, from another address, gets its link while they trickle
      try (PeerClient peer = new PeerClient("127.0.0.1", 0, B_HOST, 5000)) {
        assertEquals("guard-b", peer.handshake("slow-test-peer", NodeProcess.CLUSTER_KEY));
        peer.send(new Ping(64));
        assertEquals(new Pong(64), peer.receive());
      }
      // and so does the real node a, once its link is cut and it dials again
      int before = relayToB.connections().size();
      relayToB.cutAll();
      awaitSealedLink(relayToB, before, "a's new link to b, under the slow sockets");
      assertTrue(attack.connects() >= 64, "the attack was still running");
      System.out.printf(
          "slow sockets at the end: %d connections made, %d open, %d closed by the node%n",
          attack.connects(), attack.open(), attack.closedByNode());
    }
  }

  @Test
  void aStrangersBytesCannotWriteALineIntoTheLog() throws Exception {
    Path log = b.settings().data().resolve("logs/node.log");
    long start = Files.size(log);
    // each puts a newline into a field that a refusal used to quote
    List<String> crafted =
        List.of(
            "CHANNEL #kelas ayu 1\nFORGED-LINE [SEVERE] the deployment key was changed",
            "MEMBER #kelas ayu joined 1\nFORGED-LINE",
            "SESSION 1 1 ayu node-a 1 1 10.0.0.9 40\nFORGED-LINE -",
            "MSG 1\nFORGED-LINE 1 0 1 ayu budi - 0 0 hi",
            "LOAD 1 2\nFORGED-LINE 3 4 5 6 " + "1,".repeat(29) + "1",
            "HELLO guard-x\nFORGED-LINE 0123",
            "PROOF \nFORGED-LINE",
            "ERROR bad-key \nFORGED-LINE");
    for (String body : crafted) {
      try (PeerClient stranger = new PeerClient(B_HOST, 5000)) {
        stranger.sendRaw(frame(body.getBytes(StandardCharsets.UTF_8)));
        stranger.awaitClosed();
      }
    }
    String written = logAfterMarker(log, start, "log-marker-" + RUN);
    for (String line : written.split("\n")) {
      assertFalse(line.startsWith("FORGED-LINE"), "a stranger wrote a line: " + line);
    }
  }

  @Test
  void aFloodOfStrangersGrowsTheLogByABoundedAmount() throws Exception {
    Path log = b.settings().data().resolve("logs/node.log");
    long start = Files.size(log);
    byte[] big =
        frame(("CHANNEL #kelas ayu " + "7".repeat(65_000)).getBytes(StandardCharsets.US_ASCII));
    // at least 100 connections, and for 3 s: several of the log's one-second windows
    long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    int connections = 0;
    while (connections < 100 || System.nanoTime() < until) {
      try (PeerClient stranger = new PeerClient(B_HOST, 5000)) {
        try {
          stranger.sendRaw(big);
        } catch (IOException refusedBeforeTheEnd) {
          // the node refused the frame by its length and closed while it was still arriving
        }
        stranger.awaitClosed();
      }
      connections++;
    }
    logAfterMarker(log, start, "flood-marker-" + RUN);
    long growth = Files.size(log) - start;
    System.out.printf(
        "node.log grew by %d bytes for %d connections of 64 KiB frames in 3 s%n",
        growth, connections);
    assertTrue(growth < 16 * 1024, "node.log grew by " + growth + " bytes");
    try (PeerClient peer = new PeerClient(B_HOST, 5000)) {
      peer.handshake("after-flood-" + RUN, NodeProcess.CLUSTER_KEY);
      peer.send(new Ping(5));
      assertEquals(new Pong(5), peer.receive(), "the node still takes real peers");
    }
  }

  /**
   * Proves the key as a peer named {@code marker}, then waits until the node has logged that: every
   * line the node logged before is in node.log by then. Returns what the log gained from {@code
   * start}.
   */
  private String logAfterMarker(Path log, long start, String marker) throws Exception {
    try (PeerClient peer = new PeerClient(B_HOST, 5000)) {
      peer.handshake(marker, NodeProcess.CLUSTER_KEY);
      peer.send(new Ping(1));
      assertEquals(new Pong(1), peer.receive());
    }
    String[] written = new String[1];
    await(
        Duration.ofSeconds(10),
        "the node logged the marker peer",
        () -> {
          written[0] = tail(log, start);
          return written[0].contains("peer " + marker + " at ");
        });
    return written[0];
  }

  private static String tail(Path log, long from) {
    try {
      byte[] all = Files.readAllBytes(log);
      return new String(all, (int) from, all.length - (int) from, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A plain frame as a stranger sends it: 4-byte length, then the body. */
  private static byte[] frame(byte[] body) {
    return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
  }

  /**
   * Waits for a connection the relay carried, from the {@code from}-th on, that got past the
   * handshake and carried frames both ways.
   */
  private static Connection awaitSealedLink(PeerRelay relay, int from, String what)
      throws InterruptedException {
    Connection[] found = new Connection[1];
    await(
        Duration.ofSeconds(30),
        what,
        () -> {
          List<Connection> all = relay.connections();
          for (Connection c : all.subList(Math.min(from, all.size()), all.size())) {
            if (!c.closed && c.carriesSealedFramesBothWays()) {
              found[0] = c;
              return true;
            }
          }
          return false;
        });
    return found[0];
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  private static void await(Duration within, String what, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + within.toSeconds() + " s: " + what);
      }
      Thread.sleep(100);
    }
  }
}
