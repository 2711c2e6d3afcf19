package org.kabar.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kabar.protocol.client.ClientCodec;
import org.kabar.protocol.client.ClientReply;
import org.kabar.protocol.client.ClientReply.AuthChallenge;
import org.kabar.protocol.client.ClientReply.ErrorReply;
import org.kabar.protocol.client.ClientReply.UserList;
import org.kabar.protocol.client.Command;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.protocol.client.LoginProofs;
import org.kabar.protocol.client.Request;

/**
 * The client port attacked as issue 18 found it open: forged repeats and redirected pushes aimed at
 * a third address, wrong-password floods, sniffed logins, random tokens, and logged-in users whose
 * malformed requests went unanswered. One node; every attacker sends from its own 127.0.8.x.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientPortSecurityIT {

  private static final String HOST = "127.0.8.1";
  private static final String PASSWORD = "port-secret-42";
  private final NodeProcess.Settings settings =
      NodeProcess.Settings.on("client-port", HOST).withPorts(4999, 5000, 18081);
  private NodeProcess node;
  private final AtomicInteger nextAddress = new AtomicInteger(10);

  @BeforeAll
  void startNode() throws Exception {
    NodeProcess.wipe(settings);
    node = NodeProcess.start(settings).assertReady();
    try (UdpClient setup = new UdpClient(HOST, 4999, "127.0.8.2")) {
      for (String user :
          List.of(
              "ayu", "budi", "citra", "dewi", "eka", "fajar", "hana", "ina", "joko", "kiki", "lina",
              "mira")) {
        assertInstanceOf(ClientReply.Done.class, setup.register(user, PASSWORD), user);
      }
    }
  }

  @AfterAll
  void stopNode() throws Exception {
    node.close();
  }

  /** A socket on an address of its own, as another machine of the network would be. */
  private UdpClient fromNewAddress() throws IOException {
    int n = nextAddress.getAndIncrement();
    return new UdpClient(HOST, 4999, "127.0.8." + n);
  }

  private static byte[] encode(long seq, String token, Command command) {
    return ClientCodec.encodeRequest(new Request(seq, token, command));
  }

  private static void sendRaw(UdpClient from, byte[] datagram) throws IOException {
    from.socket()
        .send(new DatagramPacket(datagram, datagram.length, new InetSocketAddress(HOST, 4999)));
  }

  /** Every datagram arriving until none has come for the quiet period. */
  private static List<String> drain(UdpClient client, Duration quiet) throws IOException {
    client.socket().setSoTimeout((int) quiet.toMillis());
    List<String> got = new ArrayList<>();
    for (String text = client.receive(); text != null; text = client.receive()) {
      got.add(text);
    }
    client.socket().setSoTimeout(2_000);
    return got;
  }

  /** The reply to a request, skipping pushes; null if none comes within the socket's timeout. */
  private static String replyTo(UdpClient client, long seq) throws IOException {
    String reply = client.receive();
    while (reply != null && !reply.startsWith("K1 " + seq + " ")) {
      reply = client.receive();
    }
    return reply;
  }

  private static int bytes(List<String> datagrams) {
    return datagrams.stream().mapToInt(d -> d.getBytes(StandardCharsets.UTF_8).length).sum();
  }

  private void sendMessages(String from, String to, int count, int textBytes) throws IOException {
    try (UdpClient sender = fromNewAddress()) {
      String token = sender.login(from, PASSWORD);
      for (int i = 0; i < count; i++) {
        String text = ("m" + i + " ").concat("x".repeat(textBytes)).substring(0, textBytes);
        assertInstanceOf(
            ClientReply.Sent.class, sender.exchange(token, new Command.Send(to, text)), "SEND");
      }
      sender.exchange(token, new Command.Logout());
    }
  }

  @Test
  void aForgedRepeatFromAThirdAddressGetsNoMoreBytesThanItSent() throws Exception {
    sendMessages("budi", "citra", 15, 40);
    try (UdpClient victim = fromNewAddress();
        UdpClient attacker = fromNewAddress()) {
      String token = victim.login("citra", PASSWORD);
      drain(victim, Duration.ofMillis(500)); // the offline messages pushed at login
      long seq = victim.nextSeq();
      byte[] inbox = encode(seq, token, new Command.Inbox(0));
      sendRaw(victim, inbox);
      String page = replyTo(victim, seq);
      assertNotNull(page, "the inbox page");
      assertTrue(page.length() > 3 * inbox.length, "a page much larger than its request: " + page);

      for (int i = 0; i < 300; i++) {
        sendRaw(attacker, inbox);
      }
      List<String> reflected = drain(attacker, Duration.ofSeconds(2));
      System.out.printf(
          "forged repeats: 300 x %d bytes sent from a third address drew %d datagrams, %d bytes"
              + " (the page is %d bytes)%n",
          inbox.length, reflected.size(), bytes(reflected), page.length());
      assertTrue(
          bytes(reflected) <= 300 * inbox.length,
          "300 forged repeats of " + inbox.length + " bytes drew " + bytes(reflected));
      for (String d : reflected) {
        assertTrue(d.length() <= inbox.length, "one datagram larger than the request: " + d);
        assertFalse(d.contains("OK INBOX"), "the page went to the third address: " + d);
      }

      sendRaw(victim, inbox);
      String again = replyTo(victim, seq);
      assertEquals(page, again, "the session's own address still gets its repeat in full");

      victim.exchange(token, new Command.Logout());
      for (int i = 0; i < 100; i++) {
        sendRaw(attacker, inbox);
      }
      List<String> afterLogout = drain(attacker, Duration.ofSeconds(2));
      assertTrue(
          bytes(afterLogout) <= 100 * inbox.length,
          "after LOGOUT, 100 repeats drew " + bytes(afterLogout) + " bytes");
      afterLogout.forEach(d -> assertFalse(d.contains("OK INBOX"), "after LOGOUT: " + d));
    }
  }

  @Test
  void pushesDoNotFollowAnAddressThatHasNotAnsweredItsCheck() throws Exception {
    try (UdpClient victimOwner = fromNewAddress();
        UdpClient redirected = fromNewAddress()) {
      String token = victimOwner.login("dewi", PASSWORD);
      drain(victimOwner, Duration.ofMillis(300));
      byte[] live = encode(victimOwner.nextSeq(), token, new Command.Live());
      for (int i = 0; i < 20; i++) {
        sendRaw(redirected, live); // a captured LIVE replayed from the address to flood
      }
      sendMessages("eka", "dewi", 3, 800);

      List<String> atTarget = drain(redirected, Duration.ofSeconds(3));
      System.out.printf(
          "redirect: 20 x %d-byte triggers drew %d datagrams, %d bytes, to the target%n",
          live.length, atTarget.size(), bytes(atTarget));
      assertTrue(
          bytes(atTarget) <= 20 * live.length,
          "20 triggers of " + live.length + " bytes drew " + bytes(atTarget) + ": " + atTarget);
      atTarget.forEach(d -> assertFalse(d.contains(" MSG "), "a push followed: " + d));

      Set<String> shown = new HashSet<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (shown.size() < 3 && System.nanoTime() < deadline) {
        String push = victimOwner.receive();
        if (push != null && push.startsWith("K1 !")) {
          shown.add(push.split(" ")[1]);
          String id = push.split(" ")[1].substring(1);
          victimOwner.send(
              new String(
                  encode(victimOwner.nextSeq(), token, new Command.Ack(Long.parseLong(id))),
                  StandardCharsets.UTF_8));
        }
      }
      assertEquals(3, shown.size(), "the session's own address got its messages");
    }
  }

  @Test
  void aClientThatMovedAnswersTheCheckAndItsPushesFollow() throws Exception {
    try (UdpClient before = fromNewAddress();
        UdpClient after = fromNewAddress()) {
      String token = before.login("fajar", PASSWORD);
      drain(before, Duration.ofMillis(300));

      long seq = after.nextSeq();
      byte[] live = encode(seq, token, new Command.Live());
      sendRaw(after, live);
      List<String> first = drain(after, Duration.ofMillis(500));
      String challenge =
          first.stream()
              .filter(d -> d.startsWith("K1 * CHECK "))
              .map(d -> d.substring("K1 * CHECK ".length()).strip())
              .findFirst()
              .orElse(null);
      assertNotNull(challenge, "a check sent to the new address: " + first);
      assertTrue(
          bytes(first) <= live.length, "the check and the reply fit in the LIVE's size: " + first);
      assertInstanceOf(
          ClientReply.Done.class, after.exchange(token, new Command.Check(challenge)), "CHECK");
      sendRaw(after, live); // the client's retransmission, now from its checked address
      assertNotNull(replyTo(after, seq), "the LIVE answered once the address is checked");

      sendMessages("ayu", "fajar", 1, 600);
      String push = null;
      for (String d = after.receive(); d != null; d = after.receive()) {
        if (d.startsWith("K1 !")) {
          push = d;
          break;
        }
      }
      assertNotNull(push, "the push went to the checked address");
      assertTrue(push.length() > 600, "in full: " + push);
    }
  }

  @Test
  void aWrongCheckDoesNotMoveThePushes() throws Exception {
    try (UdpClient owner = fromNewAddress();
        UdpClient other = fromNewAddress()) {
      String token = owner.login("eka", PASSWORD);
      drain(owner, Duration.ofMillis(300));
      ClientReply wrong = other.exchange(token, new Command.Check("AAAAAAAAAAAAAAAA"));
      assertInstanceOf(ErrorReply.class, wrong, "a made-up challenge is refused");
      sendMessages("ayu", "eka", 1, 100);
      List<String> there = drain(other, Duration.ofSeconds(2));
      there.forEach(d -> assertFalse(d.contains(" MSG "), "a push followed: " + d));
      String push = null;
      for (String d = owner.receive(); d != null; d = owner.receive()) {
        if (d.startsWith("K1 !")) {
          push = d;
          break;
        }
      }
      assertNotNull(push, "the owner still gets its message");
    }
  }

  @ParameterizedTest(name = "{0} flooding addresses")
  @ValueSource(ints = {1, 4, 10})
  void wrongPasswordFloodsLeaveLoggedInUsersServed(int addresses) throws Exception {
    AtomicBoolean flooding = new AtomicBoolean(true);
    AtomicInteger attempts = new AtomicInteger();
    AtomicInteger throttled = new AtomicInteger();
    ConcurrentLinkedQueue<Throwable> broken = new ConcurrentLinkedQueue<>();
    List<Thread> flooders = new ArrayList<>();
    for (int a = 0; a < addresses; a++) {
      UdpClient flooder = fromNewAddress();
      String target = a % 2 == 0 ? "hana" : "nobody" + a; // an account, and a name that is none
      Thread t =
          new Thread(
              () -> {
                try (flooder) {
                  while (flooding.get()) {
                    attempts.incrementAndGet();
                    if (wrongLogin(flooder, target) == ErrorCode.RATE_LIMITED) {
                      throttled.incrementAndGet();
                    }
                  }
                } catch (IOException | RuntimeException e) {
                  if (flooding.get()) {
                    broken.add(e);
                  }
                }
              },
              "flooder-" + a);
      t.start();
      flooders.add(t);
    }
    try (UdpClient user = fromNewAddress();
        UdpClient newcomer = fromNewAddress()) {
      String token = user.login("ayu", PASSWORD);
      user.socket().setSoTimeout(2_000);
      long slowest = 0;
      for (int i = 0; i < 40; i++) {
        long seq = user.nextSeq();
        long start = System.nanoTime();
        sendRaw(user, encode(seq, token, new Command.ListUsers()));
        String reply = replyTo(user, seq);
        slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
        assertNotNull(reply, "LIST " + i + " unanswered within the client's 2 s during the flood");
        assertInstanceOf(UserList.class, UdpClient.decode(reply), reply);
      }
      String other = newcomer.login("citra", PASSWORD);
      assertNotNull(other, "someone else logs in during the flood");
      newcomer.exchange(other, new Command.Logout());
      user.exchange(token, new Command.Logout());
      System.out.printf(
          "flood from %d addresses: %d wrong logins, %d refused 429; slowest LIST %d ms%n",
          addresses, attempts.get(), throttled.get(), slowest);
    } finally {
      flooding.set(false);
      for (Thread t : flooders) {
        t.join(10_000);
      }
    }
    assertTrue(broken.isEmpty(), "flooders: " + broken);
    assertTrue(throttled.get() > 0, "the flooders were told to wait (429)");
  }

  /** One wrong-password login (AUTH, then a made-up PROVE); the error it ended with. */
  private static ErrorCode wrongLogin(UdpClient from, String user) throws IOException {
    ClientReply first = from.exchange(null, new Command.Auth(user, LoginProofs.clientNonce()));
    if (first instanceof ErrorReply error) {
      return error.code();
    }
    AuthChallenge challenge = (AuthChallenge) first;
    byte[] proof = new byte[32];
    ThreadLocalRandom.current().nextBytes(proof);
    ClientReply second =
        from.exchange(
            null, new Command.Prove(challenge.nonce(), Base64.getEncoder().encodeToString(proof)));
    return second instanceof ErrorReply error ? error.code() : null;
  }

  @Test
  void aSniffedRegistrationLoginAndUnregisterRevealNoPassword() throws Exception {
    String secret = "never-on-the-wire-" + ThreadLocalRandom.current().nextInt(1_000_000);
    try (LossyProxy network = new LossyProxy(new InetSocketAddress(HOST, 4999), d -> false);
        ChatClients.Chatter chatter = ChatClients.connect(network.address())) {
      chatter.client().register("gita", secret);
      chatter.client().login("gita", secret);
      chatter.client().send("ayu", "a message seen on the wire, as it should be");
      chatter.client().unregister(secret);
      List<byte[]> seen = network.seen();
      assertTrue(seen.size() >= 6, "the exchange went through the network: " + seen.size());
      assertTrue(
          seen.stream().anyMatch(d -> text(d).contains("a message seen on the wire")),
          "the listener sees the traffic (message texts are still in clear)");
      for (byte[] d : seen) {
        assertFalse(text(d).contains(secret), "the password on the wire: " + text(d));
        assertFalse(
            text(d).contains(Base64.getEncoder().encodeToString(secret.getBytes())),
            "the password on the wire in base64: " + text(d));
      }
    }
    try (UdpClient later = fromNewAddress()) {
      ClientReply reply = later.exchange(null, new Command.Auth("gita", LoginProofs.clientNonce()));
      assertInstanceOf(AuthChallenge.class, reply, "unknown users are challenged like others");
    }
  }

  @Test
  void randomTokensFromOneAddressCostFewDatabaseLookups() throws Exception {
    long before = Gauges.read(settings, "kabar_client_token_lookups");
    long start = System.nanoTime();
    try (UdpClient prober = fromNewAddress()) {
      for (int i = 0; i < 3_000; i++) {
        byte[] token = new byte[16];
        ThreadLocalRandom.current().nextBytes(token);
        String random = Base64.getUrlEncoder().withoutPadding().encodeToString(token);
        sendRaw(prober, encode(i + 1, random, new Command.ListUsers()));
      }
      drain(prober, Duration.ofSeconds(1));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long lookups = Gauges.read(settings, "kabar_client_token_lookups") - before;
    System.out.printf("3,000 random tokens in %.1f s: %d database lookups%n", seconds, lookups);
    assertTrue(
        lookups <= 10 + 5 * Math.ceil(seconds) + 5,
        "3,000 random tokens in " + seconds + " s cost " + lookups + " lookups");
    try (UdpClient user = fromNewAddress()) {
      String token = user.login("ayu", PASSWORD);
      assertInstanceOf(UserList.class, user.exchange(token, new Command.ListUsers()));
      user.exchange(token, new Command.Logout());
    }
  }

  @Test
  void malformedRequestsOfALoggedInUserGetTheirErrors() throws Exception {
    try (UdpClient user = fromNewAddress()) {
      String token = user.login("budi", PASSWORD);
      drain(user, Duration.ofMillis(300));
      for (String malformed :
          List.of(
              "SEND",
              "SEND ayu",
              "READ abc",
              "INBOX x",
              "ACK zz",
              "DELETE",
              "JOIN kelas",
              "CREATE nohash",
              "FROBNICATE now")) {
        long seq = user.nextSeq();
        String request = "K1 " + seq + " ~" + token + " " + malformed;
        user.send(request);
        String reply = replyTo(user, seq);
        assertNotNull(reply, malformed + " unanswered");
        ClientReply decoded = UdpClient.decode(reply);
        ErrorReply error = assertInstanceOf(ErrorReply.class, decoded, malformed + ": " + reply);
        assertFalse(error.text().isBlank(), malformed + " got its error in full: " + reply);
      }
      user.exchange(token, new Command.Logout());
    }
  }

  @Test
  void pushesToAClientThatNeverAnswersStopUntilItIsHeardFrom() throws Exception {
    try (UdpClient silent = fromNewAddress()) {
      String token = silent.login("ayu", PASSWORD);
      drain(silent, Duration.ofMillis(500));
      sendMessages("citra", "ayu", 40, 50);
      List<String> pushes =
          drain(silent, Duration.ofSeconds(10)).stream().filter(d -> d.startsWith("K1 !")).toList();
      assertTrue(
          pushes.size() <= 32 && pushes.size() >= 16,
          "pushes to a client that never acknowledged: " + pushes.size());

      Set<String> ids = new HashSet<>();
      silent.send(
          new String(encode(silent.nextSeq(), token, new Command.Live()), StandardCharsets.UTF_8));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (ids.size() < 40 && System.nanoTime() < deadline) {
        String d = silent.receive();
        if (d != null && d.startsWith("K1 !")) {
          String id = d.split(" ")[1].substring(1);
          ids.add(id);
          silent.send(
              new String(
                  encode(silent.nextSeq(), token, new Command.Ack(Long.parseLong(id))),
                  StandardCharsets.UTF_8));
        }
      }
      assertEquals(40, ids.size(), "heard from again, it gets every message");
      silent.exchange(token, new Command.Logout());
    }
  }

  @Test
  void aPaddedRequestThenBareRepeatsFromAForgedAddressDrawNoMoreThanTheySend() throws Exception {
    String text = "a long message to read: ".concat("z".repeat(900)).substring(0, 880);
    long id;
    try (UdpClient sender = fromNewAddress()) {
      String token = sender.login("budi", PASSWORD);
      id =
          assertInstanceOf(
                  ClientReply.Sent.class, sender.exchange(token, new Command.Send("ina", text)))
              .id();
      sender.exchange(token, new Command.Logout());
    }
    try (UdpClient attacker = fromNewAddress();
        UdpClient victim = fromNewAddress()) {
      String token = attacker.login("ina", PASSWORD);
      drain(attacker, Duration.ofMillis(500));
      // the attacker's own READ, answered in full and remembered
      long own = attacker.nextSeq();
      sendRaw(attacker, encode(own, token, new Command.Read(id)));
      String full = replyTo(attacker, own);
      assertNotNull(full, "the READ answered at the session's own address");
      assertTrue(full.length() > 850, "in full: " + full.length());

      // from the victim's address: a padded READ, then the bare head of a request, again and
      // again, and the exact READ again (all the attacker's datagrams, with the victim's source)
      long seq = attacker.nextSeq();
      String head = "K1 " + seq + " ~" + token;
      byte[] padded =
          (head + " READ " + id + " ".repeat(1199))
              .substring(0, 1199)
              .getBytes(StandardCharsets.UTF_8);
      byte[] bare = head.getBytes(StandardCharsets.UTF_8);
      byte[] repeat = encode(own, token, new Command.Read(id));
      long sent = 0;
      sendRaw(victim, padded);
      sent += padded.length;
      for (int i = 0; i < 300; i++) {
        byte[] d = i % 3 == 2 ? repeat : bare;
        sendRaw(victim, d);
        sent += d.length;
        if (i % 50 == 49) {
          Thread.sleep(300); // within the session's rate, as the attack was
        }
      }
      List<String> atVictim = drain(victim, Duration.ofSeconds(2));
      System.out.printf(
          "padded prime and bare repeats: %d bytes sent from the victim's address drew %d"
              + " datagrams, %d bytes%n",
          sent, atVictim.size(), bytes(atVictim));
      assertTrue(
          bytes(atVictim) <= sent, sent + " bytes sent drew " + bytes(atVictim) + ": " + atVictim);
      atVictim.forEach(d -> assertFalse(d.contains("OK READ"), "the message went there: " + d));
      assertTrue(
          atVictim.stream().anyMatch(d -> d.startsWith("K1 " + seq + " ERR 422")),
          "the padded READ is refused: " + atVictim);
      sendRaw(attacker, repeat);
      assertEquals(full, replyTo(attacker, own), "its own address still gets the repeat in full");
      attacker.exchange(token, new Command.Logout());
    }
  }

  @Test
  void aForeignAddressAskingOnceASecondDrawsNoMoreThanItSends() throws Exception {
    try (UdpClient owner = fromNewAddress();
        UdpClient foreign = fromNewAddress()) {
      String token = owner.login("joko", PASSWORD);
      drain(owner, Duration.ofMillis(300));
      long sent = 0;
      List<String> back = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < 30; i++) {
        byte[] d = ("K1 " + (i + 1) + " ~" + token + " X").getBytes(StandardCharsets.UTF_8);
        sendRaw(foreign, d);
        sent += d.length;
        // what comes back within the second, then the next request: once a second
        long due = start + (i + 1) * 1_000_000_000L;
        foreign.socket().setSoTimeout(50);
        while (System.nanoTime() < due) {
          String got = foreign.receive();
          if (got != null) {
            back.add(got);
          }
        }
      }
      back.addAll(drain(foreign, Duration.ofMillis(500)));
      System.out.printf(
          "a foreign address once a second for 30 s: %d bytes sent, %d datagrams, %d bytes back%n",
          sent, back.size(), bytes(back));
      assertTrue(bytes(back) <= sent, sent + " bytes drew " + bytes(back) + ": " + back);
      assertTrue(
          back.stream().anyMatch(d -> d.startsWith("K1 * CHECK ")),
          "the address check still goes there: " + back);
      owner.exchange(token, new Command.Logout());
    }
  }

  /** AUTH for a name from a socket until challenged; waits out the address's request rate. */
  private static AuthChallenge challengeFor(UdpClient from, String user) throws Exception {
    for (int attempt = 0; attempt < 50; attempt++) {
      ClientReply reply = from.exchange(null, new Command.Auth(user, LoginProofs.clientNonce()));
      if (reply instanceof AuthChallenge challenge) {
        return challenge;
      }
      ErrorReply error = assertInstanceOf(ErrorReply.class, reply);
      if (error.code() != ErrorCode.RATE_LIMITED) {
        return null;
      }
      if (!error.text().contains("too many requests") && !error.text().isEmpty()) {
        return null; // a login budget refusal, not the request rate
      }
      Thread.sleep(100); // the request rate: the protocol says wait and send again
    }
    return null;
  }

  /** A made-up PROVE for a nonce, sent again while the address's request rate refuses it. */
  private static ErrorReply wrongProof(UdpClient from, AuthChallenge challenge) throws Exception {
    byte[] proof = new byte[32];
    ThreadLocalRandom.current().nextBytes(proof);
    Command.Prove prove =
        new Command.Prove(challenge.nonce(), Base64.getEncoder().encodeToString(proof));
    for (int attempt = 0; attempt < 50; attempt++) {
      ErrorReply error = assertInstanceOf(ErrorReply.class, from.exchange(null, prove));
      if (error.code() != ErrorCode.RATE_LIMITED || !error.text().contains("too many requests")) {
        return error;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("PROVE rate-limited fifty times");
  }

  @ParameterizedTest(name = "{0} addresses")
  @ValueSource(ints = {1, 4})
  void nonceHoardedBeforeAnyFailureBuyNoMoreWrongProofsThanTheBudget(int addresses)
      throws Exception {
    String target = addresses == 1 ? "kiki" : "mira"; // names no other test logs in with
    long failedBefore = Gauges.read(settings, "kabar_logins_failed");
    List<UdpClient> attackers = new ArrayList<>();
    List<List<AuthChallenge>> hoards = new ArrayList<>();
    try {
      int refusedAtAuth = 0;
      for (int a = 0; a < addresses; a++) {
        UdpClient attacker = fromNewAddress();
        attackers.add(attacker);
        List<AuthChallenge> hoard = new ArrayList<>();
        for (int i = 0; i < 100 / addresses; i++) {
          AuthChallenge challenge = challengeFor(attacker, target);
          if (challenge == null) {
            refusedAtAuth++;
          } else {
            hoard.add(challenge);
          }
        }
        hoards.add(hoard);
      }
      int wrong = 0;
      int refused = 0;
      for (int a = 0; a < addresses; a++) {
        for (AuthChallenge challenge : hoards.get(a)) {
          ErrorReply error = wrongProof(attackers.get(a), challenge);
          if (error.code() == ErrorCode.WRONG_CREDENTIALS) {
            wrong++;
          } else {
            refused++;
          }
        }
      }
      long counted = Gauges.read(settings, "kabar_logins_failed") - failedBefore;
      System.out.printf(
          "%d addresses hoarded nonces for %s: %d AUTHs refused, %d wrong proofs checked (430),"
              + " %d refused unchecked; %d failures counted%n",
          addresses, target, refusedAtAuth, wrong, refused, counted);
      assertTrue(
          wrong <= 5,
          "100 nonces gathered before any failure bought " + wrong + " checked wrong proofs");
      assertTrue(counted <= 5, "failures counted: " + counted);
      assertTrue(refused + refusedAtAuth >= 90, "the rest refused: " + refused + refusedAtAuth);
    } finally {
      attackers.forEach(UdpClient::close);
    }
    try (UdpClient owner = fromNewAddress()) { // a new address of the owner's: waits, says when
      AuthChallenge challenge = challengeFor(owner, target);
      assertTrue(challenge == null || wrongProof(owner, challenge) != null);
    }
  }

  @Test
  void anAttackerFloodingWrongProofsDoesNotLockTheOwnerOut() throws Exception {
    String ownersAddress;
    try (UdpClient owner = fromNewAddress()) {
      ownersAddress = owner.socket().getLocalAddress().getHostAddress();
      String token = owner.login("lina", PASSWORD); // the owner's usual address
      owner.exchange(token, new Command.Logout());
    }
    AtomicBoolean flooding = new AtomicBoolean(true);
    AtomicInteger nameLocked = new AtomicInteger();
    ConcurrentLinkedQueue<Throwable> broken = new ConcurrentLinkedQueue<>();
    List<Thread> flooders = new ArrayList<>();
    for (int a = 0; a < 2; a++) {
      UdpClient flooder = fromNewAddress();
      Thread t =
          new Thread(
              () -> {
                try (flooder) {
                  while (flooding.get()) {
                    ClientReply first =
                        flooder.exchange(null, new Command.Auth("lina", LoginProofs.clientNonce()));
                    ErrorReply error =
                        first instanceof AuthChallenge c
                            ? wrongProof(flooder, c)
                            : (ErrorReply) first;
                    if (error.text().contains("failed logins")
                        || error.text().contains("under way")) {
                      nameLocked.incrementAndGet();
                    }
                  }
                } catch (Exception | AssertionError e) {
                  if (flooding.get()) {
                    broken.add(e);
                  }
                }
              },
              "lina-flooder-" + a);
      t.start();
      flooders.add(t);
    }
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (nameLocked.get() < 3 && System.nanoTime() < deadline && broken.isEmpty()) {
        Thread.sleep(50); // polls the flooders' count: the condition awaited
      }
      assertTrue(nameLocked.get() >= 3, "the flood made the name wait: " + broken);
      try (UdpClient owner = new UdpClient(HOST, 4999, ownersAddress)) {
        long start = System.nanoTime();
        String token = owner.login("lina", PASSWORD);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("the owner logged in during the flood in %d ms%n", millis);
        assertNotNull(token, "the owner got in from their usual address");
        owner.exchange(token, new Command.Logout());
      }
    } finally {
      flooding.set(false);
      for (Thread t : flooders) {
        t.join(10_000);
      }
    }
    assertTrue(broken.isEmpty(), "flooders: " + broken);
  }

  private static String text(byte[] datagram) {
    return new String(datagram, StandardCharsets.UTF_8);
  }
}
