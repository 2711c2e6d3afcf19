package org.kabar.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.kabar.client.Backoff;
import org.kabar.client.RefusedException;
import org.kabar.protocol.client.ClientReply.Delivery;
import org.kabar.protocol.client.ClientReply.InboxEntry;
import org.kabar.protocol.client.Command;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.systemtest.ChatClients.Chatter;

/** Users chatting through a real node with the real client, over real UDP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MessengerIT {

  private String host;
  private InetSocketAddress server;
  private static final String PASSWORD = "secret-123";
  private static final Duration WAIT = Duration.ofSeconds(10);

  /**
   * Makes names unique to this run, so that a data directory left by an earlier run is harmless.
   */
  private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000, 36);

  private NodeProcess node;

  private static String u(String name) {
    return name + "-" + RUN;
  }

  /** The address of the node the tests talk to; a variant has its own. */
  String host() {
    return "127.0.0.31";
  }

  /** The node the tests talk to: embedded Derby here; a variant may store elsewhere. */
  NodeProcess.Settings node(String host) throws Exception {
    return NodeProcess.Settings.on("messenger", host).withPorts(4999, 5000, 18061);
  }

  @BeforeAll
  void startNode() throws Exception {
    host = host();
    server = new InetSocketAddress(host, 4999);
    node = NodeProcess.start(node(host)).assertReady();
  }

  @AfterAll
  void stopNode() throws Exception {
    node.close();
  }

  @Test
  void twoUsersChatBothWays() throws Exception {
    try (Chatter ayu = loggedIn(u("ayu"));
        Chatter budi = loggedIn(u("budi"))) {
      long id = ayu.client().send(u("budi"), "halo budi 👋");
      Delivery received = budi.next(WAIT);
      assertNotNull(received, "budi was shown the message");
      assertEquals(id, received.id());
      assertEquals(u("ayu"), received.from());
      assertEquals("halo budi 👋", received.text());
      budi.client().send(u("ayu"), "halo juga");
      assertEquals("halo juga", ayu.next(WAIT).text());
      assertTrue(ayu.client().online().containsAll(List.of(u("ayu"), u("budi"))));
    }
  }

  @Test
  void thoseOnlineAreToldWhoComesAndGoes() throws Exception {
    try (Chatter joko = loggedIn(u("joko3"))) {
      try (Chatter lestari = loggedIn(u("lestari3"))) {
        assertNotNull(
            joko.toldOnline(users -> users.contains(u("lestari3")), WAIT),
            "joko is told that lestari came online");
        lestari.client().logout();
      }
      assertNotNull(
          joko.toldOnline(users -> !users.contains(u("lestari3")), WAIT),
          "joko is told that lestari left");
    }
  }

  @Test
  void anOfflineMessageArrivesAtTheNextLoginExactlyOnce() throws Exception {
    register(u("citra"));
    try (Chatter dewi = loggedIn(u("dewi"))) {
      dewi.client().send(u("citra"), "first, while you were away");
      dewi.client().send(u("citra"), "second, while you were away");
    }
    try (Chatter citra = ChatClients.connect(server)) {
      citra.client().login(u("citra"), PASSWORD);
      assertEquals("first, while you were away", citra.next(WAIT).text());
      assertEquals("second, while you were away", citra.next(WAIT).text());
      assertNull(citra.next(Duration.ofSeconds(3)), "nothing shown twice");
      citra.client().logout();
    }
    try (Chatter citra = loggedIn(u("citra"))) {
      assertNull(citra.next(Duration.ofSeconds(3)), "delivered messages are not handed over again");
      assertEquals(2, citra.client().inbox().size(), "both stay in the inbox");
    }
  }

  @Test
  void sendToAllReachesEveryoneOnlineAndIsNotKeptForThoseOffline() throws Exception {
    register(u("gita"));
    try (Chatter eka = loggedIn(u("eka"));
        Chatter fajar = loggedIn(u("fajar"))) {
      eka.client().send("all", "hello everyone");
      Delivery toAll = fajar.next(WAIT);
      assertEquals("hello everyone", toAll.text());
      assertEquals("all", toAll.to());
    }
    try (Chatter gita = loggedIn(u("gita"))) {
      assertNull(gita.next(Duration.ofSeconds(3)), "a message to all is no offline message");
      assertEquals(0, gita.client().inbox().size());
    }
  }

  @Test
  void readDeleteAndUnregister() throws Exception {
    try (Chatter hana = loggedIn(u("hana"));
        Chatter indra = loggedIn(u("indra"))) {
      long id = hana.client().send(u("indra"), "delete me later");
      indra.next(WAIT);
      List<InboxEntry> inbox = indra.client().inbox();
      assertEquals(List.of(id), inbox.stream().map(InboxEntry::id).toList());
      assertEquals("delete me later", indra.client().read(id).text());
      assertTrue(indra.client().inbox().get(0).read(), "marked read");
      indra.client().delete(id);
      assertEquals(0, indra.client().inbox().size());
      RefusedException gone = assertThrows(RefusedException.class, () -> indra.client().read(id));
      assertEquals(ErrorCode.NO_SUCH_MESSAGE, gone.code());
      RefusedException notYours =
          assertThrows(RefusedException.class, () -> hana.client().read(id));
      assertEquals(ErrorCode.NO_SUCH_MESSAGE, notYours.code());

      indra.client().unregister(PASSWORD);
      RefusedException unknown =
          assertThrows(RefusedException.class, () -> hana.client().send(u("indra"), "hello?"));
      assertEquals(ErrorCode.NO_SUCH_USER, unknown.code());
    }
    try (Chatter indra = ChatClients.connect(server)) {
      RefusedException refused =
          assertThrows(RefusedException.class, () -> indra.client().login(u("indra"), PASSWORD));
      assertEquals(ErrorCode.WRONG_CREDENTIALS, refused.code());
    }
  }

  @Test
  void channelsReachTheirMembersIncludingThoseAway() throws Exception {
    String kopi = "#kopi-" + RUN;
    register(u("citra2"));
    try (Chatter ayu = loggedIn(u("ayu2"));
        Chatter budi = loggedIn(u("budi2"));
        Chatter dewi = loggedIn(u("dewi2"))) {
      ayu.client().request(new Command.CreateChannel(kopi));
      RefusedException taken =
          assertThrows(
              RefusedException.class, () -> budi.client().request(new Command.CreateChannel(kopi)));
      assertEquals(ErrorCode.NAME_TAKEN, taken.code(), "channel names are unique");
      assertEquals(
          "channel name taken (409)", taken.getMessage(), "the refusal names what is taken");
      ayu.client().request(new Command.Invite(kopi, u("budi2")));
      ayu.client().request(new Command.Invite(kopi, u("citra2")));
      assertTrue(budi.next(WAIT).text().contains("JOIN " + kopi), "budi is told of the invitation");
      budi.client().request(new Command.Join(kopi));
      RefusedException uninvited =
          assertThrows(RefusedException.class, () -> dewi.client().request(new Command.Join(kopi)));
      assertEquals(ErrorCode.NO_SUCH_CHANNEL, uninvited.code());
      try (Chatter citra = loggedIn(u("citra2"))) {
        citra.client().request(new Command.Join(kopi));
        citra.client().logout(); // away now
      }
      assertEquals(List.of(u("ayu2"), u("budi2"), u("citra2")), ayu.client().members(kopi));

      ayu.client().send(kopi, "kopi jam tiga?");
      Delivery atBudi = budi.next(WAIT);
      assertEquals("kopi jam tiga?", atBudi.text());
      assertEquals(kopi, atBudi.to());
      RefusedException outsider =
          assertThrows(RefusedException.class, () -> dewi.client().send(kopi, "can I come?"));
      assertEquals(ErrorCode.NO_SUCH_CHANNEL, outsider.code());

      RefusedException notCreator =
          assertThrows(
              RefusedException.class,
              () -> budi.client().request(new Command.Kick(kopi, u("ayu2"))));
      assertEquals(ErrorCode.NOT_ALLOWED, notCreator.code());
      ayu.client().request(new Command.Kick(kopi, u("budi2")));
      assertThrows(RefusedException.class, () -> budi.client().members(kopi));
    }
    try (Chatter citra = ChatClients.connect(server)) {
      citra.client().login(u("citra2"), PASSWORD);
      List<String> shown = new java.util.ArrayList<>();
      Delivery next;
      while ((next = citra.next(Duration.ofSeconds(5))) != null) {
        shown.add(next.text());
      }
      assertTrue(shown.contains("kopi jam tiga?"), "away members get it at login: " + shown);
    }
  }

  @Test
  void aClientFailsOverFromASilentServerToTheNextInItsList() throws Exception {
    register(u("nyoman"));
    InetSocketAddress silent = new InetSocketAddress("127.0.0.39", 4999); // nothing listens
    // short waits, so that the silent server costs seconds, and retries enough that a loaded
    // machine's first login at the next server (its PROVE hashes) is still answered in time
    try (Chatter nyoman = ChatClients.connect(new Backoff(300, 3), silent, server)) {
      nyoman.client().login(u("nyoman"), PASSWORD);
      assertEquals(server, nyoman.client().server(), "logged in at the next server");
      assertTrue(nyoman.client().online().contains(u("nyoman")));
    }
  }

  @Test
  void aForgedOrMissingTokenIsRefused() throws Exception {
    try (UdpClient raw = new UdpClient(host, 4999)) {
      String forged = "K1 7 ~AAAAAAAAAAAAAAAAAAAAAA SEND ayu hello there";
      assertEquals("K1 7 ERR 419 no session\n", raw.request(forged));
      raw.send("K1 8 SEND ayu hello, no token at all");
      String missing = raw.receive();
      assertEquals("K1 8 ERR 403 log in first\n", missing);
    }
  }

  @Test
  void aDatagramRepeatedFiveTimesStoresOneMessage() throws Exception {
    register(u("joko"));
    try (Chatter kartika = loggedIn(u("kartika"));
        UdpClient raw = new UdpClient(host, 4999)) {
      String token = rawLogin(raw, u("joko"));
      {
        String send = "K1 424242 ~" + token + " SEND " + u("kartika") + " only once, please";
        List<String> replies = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
          raw.send(send);
          replies.add(raw.receive());
        }
        List<String> answers =
            replies.stream()
                .filter(r -> r != null && r.startsWith("K1 424242 "))
                .distinct()
                .toList();
        assertEquals(1, answers.size(), "the same answer every time: " + replies);
        assertTrue(answers.get(0).startsWith("K1 424242 OK SEND "), answers.get(0));
      }
      assertEquals("only once, please", kartika.next(WAIT).text());
      assertNull(kartika.next(Duration.ofSeconds(3)), "shown once");
      assertEquals(1, kartika.client().inbox().size(), "stored once");
    }
  }

  @Test
  void aRepeatedAckIsAnsweredAgainAndTheMessageIsNotPushedAgain() throws Exception {
    register(u("wulan"));
    try (Chatter yudi = loggedIn(u("yudi"));
        UdpClient raw = new UdpClient(host, 4999)) {
      String token = rawLogin(raw, u("wulan"));
      yudi.client().send(u("wulan"), "acknowledged twice");
      String push = null;
      for (String got = raw.receive(); got != null; got = raw.receive()) {
        if (got.contains(" MSG ")) {
          push = got.strip();
          break;
        }
      }
      long pushedAt = System.nanoTime();
      assertNotNull(push, "pushed");
      assertTrue(push.endsWith(" acknowledged twice"), push);
      String id = push.split(" ")[1].substring(1);
      String ack = "K1 515151 ~" + token + " ACK " + id;
      for (int i = 0; i < 3; i++) {
        raw.send(ack);
        String reply = raw.receive();
        while (reply != null && !reply.startsWith("K1 515151 ")) {
          assertFalse(reply.contains(" MSG "), "pushed again before the ACK's answer: " + reply);
          reply = raw.receive();
        }
        assertEquals(
            "K1 515151 OK ACK", reply == null ? null : reply.strip(), "the same answer each time");
      }
      // an unacknowledged push is sent again after 2 to 3 s: listen for 4 s after it came
      while (System.nanoTime() - pushedAt < Duration.ofSeconds(4).toNanos()) {
        String got = raw.receive();
        assertFalse(got != null && got.contains(" MSG "), "pushed again once acknowledged: " + got);
      }
    }
  }

  @Test
  void pushesLostInTransitAreRetransmittedAndShownOnce() throws Exception {
    AtomicInteger pushes = new AtomicInteger();
    // the network loses the first two copies of every push to lestari
    try (LossyProxy lossy =
            new LossyProxy(
                server, text -> text.contains(" MSG ") && pushes.incrementAndGet() <= 2);
        Chatter lestari = loggedInVia(u("lestari"), lossy.address());
        Chatter made = loggedIn(u("made"))) {
      made.client().send(u("lestari"), "through a lossy network");
      Delivery shown = lestari.next(Duration.ofSeconds(20));
      assertNotNull(shown, "retransmitted until it got through");
      assertEquals("through a lossy network", shown.text());
      assertEquals(2, lossy.dropped());
      assertNull(lestari.next(Duration.ofSeconds(5)), "shown once");
    }
  }

  private Chatter loggedIn(String user) throws Exception {
    return loggedInVia(user, server);
  }

  private Chatter loggedInVia(String user, InetSocketAddress server) throws Exception {
    register(user);
    Chatter chatter = ChatClients.connect(server);
    chatter.client().login(user, PASSWORD);
    return chatter;
  }

  private void register(String user) throws Exception {
    try (Chatter chatter = ChatClients.connect(server)) {
      chatter.client().register(user, PASSWORD);
    } catch (RefusedException taken) {
      assertEquals(ErrorCode.NAME_TAKEN, taken.code());
    }
  }

  /** Logs in by hand over a raw socket, as another client implementation would. */
  private String rawLogin(UdpClient raw, String user) throws Exception {
    return raw.login(user, PASSWORD);
  }
}
