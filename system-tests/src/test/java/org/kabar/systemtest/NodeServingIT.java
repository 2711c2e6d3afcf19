package org.kabar.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.kabar.protocol.peer.PeerError;
import org.kabar.protocol.peer.Ping;
import org.kabar.protocol.peer.Pong;

/** One node started with the operator's command, served over real UDP, TCP and HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeServingIT {

  private static final String HOST = "127.0.0.21";
  private final NodeProcess.Settings settings =
      NodeProcess.Settings.on("serving", HOST).withPorts(4999, 5000, 18021);
  private NodeProcess node;

  @BeforeAll
  void startNode() throws Exception {
    node = NodeProcess.start(settings).assertReady();
  }

  @AfterAll
  void stopNode() throws Exception {
    node.close();
  }

  @Test
  void liveCheckIsAnsweredYes() throws IOException {
    try (UdpClient client = new UdpClient(HOST, 4999)) {
      assertEquals("yes\n", client.request("/@live?\n"));
    }
  }

  @Test
  void unknownCommandIsAnsweredWithAnErrorAndTheNodeKeepsServing() throws IOException {
    try (UdpClient client = new UdpClient(HOST, 4999)) {
      assertEquals(
          "ERR 404 unknown command\n", client.request("what is this command, dear server?"));
      client.send(new String(new byte[] {(byte) 0xff, (byte) 0xfe}, StandardCharsets.ISO_8859_1));
      assertEquals("yes\n", client.request("/@live?"));
    }
  }

  @Test
  void anAddressSendingTooFastIsLimitedButLiveChecksStillAnswered() throws IOException {
    try (UdpClient flooder = new UdpClient(HOST, 4999, "127.0.0.99")) {
      String bogus = "K1 1 FROBNICATE " + "x".repeat(40); // answerable: its error is smaller
      for (int i = 0; i < 200; i++) {
        flooder.send(bogus);
      }
      int answers = 0;
      while (flooder.receive() != null) {
        answers++;
      }
      assertTrue(answers >= 20 && answers <= 100, "a burst of 40, then 20/s: " + answers);
      assertEquals(
          "yes\n", flooder.request("/@live?"), "liveness checks share the budget, and get through");
    }
  }

  @Test
  void peerPortAcceptsAConnectionAndAnswersPing() throws Exception {
    try (PeerClient peer = new PeerClient(HOST, 5000)) {
      assertEquals("serving", peer.handshake("test-peer", NodeProcess.CLUSTER_KEY));
      peer.send(new Ping(42));
      assertEquals(new Pong(42), peer.receive());
      peer.send(new Ping(43));
      assertEquals(new Pong(43), peer.receive());
    }
  }

  @Test
  void garbageOnThePeerPortIsRefusedWithoutHarmingTheNode() throws Exception {
    try (PeerClient intruder = new PeerClient(HOST, 5000)) {
      intruder.sendRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      PeerError refusal = assertInstanceOf(PeerError.class, intruder.receive());
      assertEquals("bad-length", refusal.code());
      assertTrue(intruder.closedByPeer(), "the node closes the link after refusing it");
    }
    try (PeerClient peer = new PeerClient(HOST, 5000)) {
      peer.handshake("test-peer", NodeProcess.CLUSTER_KEY);
      peer.send(new Ping(7));
      assertEquals(new Pong(7), peer.receive());
    }
    try (UdpClient client = new UdpClient(HOST, 4999)) {
      assertEquals("yes\n", client.request("/@live?"));
    }
  }

  @Test
  void aPeerWithoutTheDeploymentKeyIsRefused() throws Exception {
    try (PeerClient rogue = new PeerClient(HOST, 5000)) {
      rogue.send(new Ping(1)); // no handshake at all
      PeerError refusal = assertInstanceOf(PeerError.class, rogue.receive());
      assertEquals("not-authenticated", refusal.code());
      assertTrue(rogue.closedByPeer());
    }
    try (PeerClient rogue = new PeerClient(HOST, 5000)) {
      AssertionError wrongKey =
          org.junit.jupiter.api.Assertions.assertThrows(
              AssertionError.class, () -> rogue.handshake("rogue", "not-the-deployment-key"));
      assertTrue(wrongKey.getMessage().contains("did not prove"), wrongKey.getMessage());
      // the node proved its key; the rogue cannot prove it in turn: its PROOF is refused
      rogue.send(new org.kabar.protocol.peer.Proof("00"));
      PeerError refusal = assertInstanceOf(PeerError.class, rogue.receive());
      assertEquals("bad-key", refusal.code());
      assertTrue(rogue.closedByPeer());
    }
    node.awaitOutput(
        "does not hold the deployment key", Duration.ofSeconds(10), "refusals are logged");
  }

  /**
   * Nothing is lost inside the node: a logged-in client's burst of 10,000 requests gets 10,000
   * answers (served, or refused with 429 beyond the session's rate). Liveness checks and other
   * requests without a session have a small queue of their own, dropped at once when full, and the
   * address's budget: a burst of those is not answered in full, by design.
   */
  @Test
  void aBurstOf10000RequestsOfASessionGets10000Answers() throws Exception {
    int burst = 10_000;
    try (UdpClient client = new UdpClient(HOST, 4999)) {
      client.register("burster", "burst-secret-1");
      String token = client.login("burster", "burst-secret-1");
      long first = client.nextSeq() + 1;
      java.util.Set<Long> answered = java.util.concurrent.ConcurrentHashMap.newKeySet();
      Thread receiver =
          new Thread(
              () -> {
                try {
                  String reply;
                  while (answered.size() < burst && (reply = client.receive()) != null) {
                    String[] words = reply.split(" ", 3);
                    if (words.length == 3 && words[1].matches("[0-9]+")) {
                      answered.add(Long.parseLong(words[1]));
                    }
                  }
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      receiver.start();
      for (int i = 0; i < burst; i++) {
        client.send("K1 " + (first + i) + " ~" + token + " LIVE");
      }
      receiver.join(Duration.ofSeconds(60).toMillis());
      assertEquals(burst, answered.size(), "every request of the burst is answered");
    }
  }

  @Test
  void healthEndpointReportsTheNodeReady() throws IOException {
    HttpURLConnection http =
        (HttpURLConnection)
            URI.create("http://" + HOST + ":18021/health/ready").toURL().openConnection();
    assertEquals(200, http.getResponseCode());
    String body = new String(http.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(body.contains("\"name\":\"kabar-node\""), body);
    assertTrue(body.contains("\"node\":\"serving\""), body);
    assertTrue(body.contains("\"database\":\"up\""), body);
  }

  @Test
  void metricsCountWithheldRepliesAndExposeDrops() throws IOException {
    try (UdpClient client = new UdpClient(HOST, 4999)) {
      client.send("?"); // one byte: its error reply would be larger, so it is withheld
      assertEquals("yes\n", client.request("/@live?"));
    }
    String metrics = get("/metrics");
    assertTrue(metrics.contains("kabar_client_datagrams_dropped{"), metrics);
    assertTrue(metrics.contains("kabar_client_queue_depth{"), metrics);
    long withheld = gauge(metrics, "kabar_client_replies_withheld");
    assertTrue(withheld >= 1, "withheld replies counted: " + withheld);
    assertTrue(gauge(metrics, "kabar_client_datagrams_received") >= 2);
  }

  private static long gauge(String metrics, String name) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(name + "{")) {
        return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError(name + " missing from /metrics");
  }

  private static String get(String path) throws IOException {
    HttpURLConnection http =
        (HttpURLConnection) URI.create("http://" + HOST + ":18021" + path).toURL().openConnection();
    assertEquals(200, http.getResponseCode(), path);
    return new String(http.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void aSecondNodeOnTheTakenUdpPortExitsWithAClearMessage() throws Exception {
    NodeProcess.Settings clash =
        NodeProcess.Settings.on("clash-udp", HOST).withPorts(4999, 5010, 18022);
    try (NodeProcess second = NodeProcess.launch(clash)) {
      int status = second.awaitExit(Duration.ofSeconds(120));
      assertEquals(3, status, second.output());
      assertTrue(
          second
              .output()
              .contains(
                  "messenger-node: cannot bind the client UDP socket to "
                      + HOST
                      + ":4999: Address already in use"),
          second.output());
      assertTrue(!second.output().contains("messenger-node: node clash-udp ready"));
    }
    try (UdpClient client = new UdpClient(HOST, 4999)) {
      assertEquals("yes\n", client.request("/@live?"), "the first node still serves");
    }
    // the same data directory on a free port: the earlier failure in its log does not count
    try (NodeProcess retry = NodeProcess.start(clash.withPorts(4997, 5010, 18022))) {
      retry.assertReady();
    }
  }

  @Test
  void aSecondNodeOnTheTakenPeerPortExitsWithAClearMessage() throws Exception {
    NodeProcess.Settings clash =
        NodeProcess.Settings.on("clash-tcp", HOST).withPorts(4998, 5000, 18023);
    try (NodeProcess second = NodeProcess.launch(clash)) {
      assertEquals(3, second.awaitExit(Duration.ofSeconds(60)), second.output());
      assertTrue(
          second.output().contains("peer TCP port 5000 on " + HOST + " is already in use"),
          second.output());
    }
  }
}
