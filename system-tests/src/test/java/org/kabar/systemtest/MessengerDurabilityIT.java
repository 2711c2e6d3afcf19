package org.kabar.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.kabar.client.RefusedException;
import org.kabar.protocol.client.ClientCodec;
import org.kabar.protocol.client.ClientReply;
import org.kabar.protocol.client.ClientReply.Delivery;
import org.kabar.protocol.client.Command;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.protocol.client.Request;
import org.kabar.systemtest.ChatClients.Chatter;

/** What must hold across crashes and limits: no accepted message lost, the quota, the CLI. */
class MessengerDurabilityIT {

  private static final String PASSWORD = "secret-123";
  private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000, 36);

  @Test
  void aKilledServerLosesNoAcceptedMessage() throws Exception {
    String host = "127.0.0.32";
    InetSocketAddress server = new InetSocketAddress(host, 4999);
    NodeProcess.Settings settings =
        NodeProcess.Settings.on("durable", host).withPorts(4999, 5000, 18071);
    String sender = "sender-" + RUN;
    String recipient = "recipient-" + RUN;
    List<Long> accepted = new ArrayList<>();
    // the last SEND's datagram, to send again once the node is back: a reply lost in the crash
    UdpClient raw = new UdpClient(host, 4999);
    byte[] lastSend;
    long lastId;
    try (NodeProcess node = NodeProcess.start(settings)) {
      node.assertReady();
      register(server, sender);
      register(server, recipient);
      try (Chatter chatter = ChatClients.connect(server)) {
        chatter.client().login(sender, PASSWORD);
        for (int i = 0; i < 20; i++) {
          accepted.add(chatter.client().send(recipient, "message " + i));
        }
      }
      String token = raw.login(sender, PASSWORD);
      lastSend =
          ClientCodec.encodeRequest(
              new Request(raw.nextSeq(), token, new Command.Send(recipient, "message 20")));
      lastId = sentId(raw, lastSend);
      accepted.add(lastId);
      node.kill9(); // right after the last acceptance
    }
    try (NodeProcess node = NodeProcess.start(settings)) {
      node.assertReady();
      try (raw) {
        assertEquals(
            lastId, sentId(raw, lastSend), "the SEND again after the restart: the same message");
      }
      try (Chatter chatter = ChatClients.connect(server)) {
        chatter.client().login(recipient, PASSWORD);
        List<String> shown = new ArrayList<>();
        Delivery next;
        while (shown.size() < 21 && (next = chatter.next(Duration.ofSeconds(15))) != null) {
          shown.add(next.text());
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i <= 20; i++) {
          expected.add("message " + i);
        }
        assertEquals(expected, shown, "every accepted message, in the order sent");
        assertNull(chatter.next(Duration.ofSeconds(3)), "none twice");
        assertEquals(accepted.size(), chatter.client().inbox().size());
      }
    }
  }

  /** Sends a SEND's datagram (again, if no reply comes) and returns the id of OK SEND. */
  private static long sentId(UdpClient client, byte[] datagram) throws IOException {
    for (int attempt = 0; attempt < 5; attempt++) {
      client.socket().send(new DatagramPacket(datagram, datagram.length, client.server()));
      for (String reply = client.receive(); reply != null; reply = client.receive()) {
        if (UdpClient.decode(reply) instanceof ClientReply.Sent sent) {
          return sent.id();
        }
      }
    }
    throw new AssertionError("no OK SEND");
  }

  @Test
  void aDatabaseOfAnEarlierVersionGetsTheNewIndexesAndKeepsItsMessages() throws Exception {
    String host = "127.0.0.38";
    InetSocketAddress server = new InetSocketAddress(host, 4999);
    NodeProcess.Settings settings =
        NodeProcess.Settings.on("upgrade", host).withPorts(4999, 5000, 18075);
    NodeProcess.wipe(settings);
    String sender = "early-" + RUN;
    String recipient = "later-" + RUN;
    try (NodeProcess node = NodeProcess.start(settings)) {
      node.assertReady();
      register(server, sender);
      register(server, recipient);
      try (Chatter chatter = ChatClients.connect(server)) {
        chatter.client().login(sender, PASSWORD);
        chatter.client().send(recipient, "kept across the upgrade");
      }
    }
    // the database as earlier versions left it: the indexes an ACK rewrote, the duplicate
    // check's and the revision's, none of today's
    NodeDatabase.execute(
        settings,
        "DROP INDEX KABAR.IX_MESSAGES_RECIPIENT",
        "DROP INDEX KABAR.IX_MESSAGES_PENDING",
        "CREATE INDEX KABAR.IX_MESSAGES_INBOX ON KABAR.MESSAGES"
            + " (DESTINATION, DELIVERED, RECEIVED_AT)",
        "CREATE INDEX KABAR.IX_MESSAGES_UNDELIVERED ON KABAR.MESSAGES (DELIVERED, RECEIVED_AT)",
        "CREATE INDEX KABAR.IX_MESSAGES_CLIENT_SEQ ON KABAR.MESSAGES (SENDER_SESSION, CLIENT_SEQ)",
        "CREATE INDEX KABAR.IX_MESSAGES_REVISION ON KABAR.MESSAGES (REVISION)");
    List<String> today = List.of("IX_MESSAGES_PENDING", "IX_MESSAGES_RECIPIENT");
    try (NodeProcess node = NodeProcess.start(settings)) {
      node.assertReady();
      try (Chatter chatter = ChatClients.connect(server)) {
        chatter.client().login(recipient, PASSWORD);
        Delivery waiting = chatter.next(Duration.ofSeconds(10));
        assertNotNull(waiting, "the offline message is found with the new indexes");
        assertEquals("kept across the upgrade", waiting.text());
        assertEquals(1, chatter.client().inbox().size());
      }
    }
    assertEquals(today, NodeDatabase.messageIndexes(settings), "the old indexes are gone");
  }

  @Test
  void aLoginBeyondTheQuotaIsAnsweredFull() throws Exception {
    String host = "127.0.0.33";
    InetSocketAddress server = new InetSocketAddress(host, 4999);
    NodeProcess.Settings settings =
        NodeProcess.Settings.on("quota", host)
            .withPorts(4999, 5000, 18072)
            .withEnv("KABAR_QUOTA", "2");
    NodeProcess.wipe(settings); // sessions left by an earlier run would count against the quota
    try (NodeProcess node = NodeProcess.start(settings)) {
      node.assertReady();
      List<Chatter> online = new ArrayList<>();
      try {
        for (int i = 0; i < 2; i++) {
          register(server, "q" + i + "-" + RUN);
          Chatter chatter = ChatClients.connect(server);
          online.add(chatter);
          chatter.client().login("q" + i + "-" + RUN, PASSWORD);
        }
        register(server, "q2-" + RUN);
        try (Chatter third = ChatClients.connect(server)) {
          RefusedException full =
              assertThrows(
                  RefusedException.class, () -> third.client().login("q2-" + RUN, PASSWORD));
          assertEquals(ErrorCode.FULL, full.code());
          online.get(0).client().logout();
          third.client().login("q2-" + RUN, PASSWORD); // room again
        }
      } finally {
        online.forEach(Chatter::close);
      }
    }
  }

  @Test
  void aSilentSessionExpiresAndItsMessagesWaitForTheNextLogin() throws Exception {
    String host = "127.0.0.36";
    InetSocketAddress server = new InetSocketAddress(host, 4999);
    NodeProcess.Settings settings =
        NodeProcess.Settings.on("expiry", host)
            .withPorts(4999, 5000, 18074)
            .withEnv("KABAR_SESSION_TIMEOUT_SECONDS", "3");
    String silent = "silent-" + RUN;
    String talker = "talker-" + RUN;
    try (NodeProcess node = NodeProcess.start(settings)) {
      node.assertReady();
      register(server, silent);
      register(server, talker);
      try (Chatter gone = ChatClients.connect(server);
          Chatter other = ChatClients.connect(server)) {
        gone.client().login(silent, PASSWORD); // then never heard from again
        other.client().login(talker, PASSWORD);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (other.client().online().contains(silent) && System.nanoTime() < deadline) {
          Thread.sleep(500);
          other.client().request(new org.kabar.protocol.client.Command.Live());
        }
        assertTrue(!other.client().online().contains(silent), "the silent session expired");
        RefusedException ended = assertThrows(RefusedException.class, () -> gone.client().online());
        assertEquals(ErrorCode.BAD_SESSION, ended.code());
        other.client().send(silent, "for when you are back");
      }
      try (Chatter back = ChatClients.connect(server)) {
        back.client().login(silent, PASSWORD);
        Delivery waiting = back.next(Duration.ofSeconds(10));
        assertNotNull(waiting, "the message waited as offline mail");
        assertEquals("for when you are back", waiting.text());
      }
    }
  }

  @Test
  void theScriptableClientReportsOutcomesByExitStatus() throws Exception {
    String host = "127.0.0.34";
    NodeProcess.Settings settings =
        NodeProcess.Settings.on("cli", host).withPorts(4999, 5000, 18073);
    try (NodeProcess node = NodeProcess.start(settings)) {
      node.assertReady();
      String server = host + ":4999";
      String ayu = "ayu-" + RUN;
      String budi = "budi-" + RUN;
      Result registered = messenger("--server", server, "--user", ayu, "register");
      assertEquals(0, registered.status(), registered.error());
      assertEquals("registered " + ayu + "\n", registered.output(), "register confirms");
      assertEquals(0, messenger("--server", server, "--user", budi, "register").status());
      Result help = messenger("--help");
      assertEquals(0, help.status(), help.error());
      assertTrue(help.output().startsWith("Usage: messenger"), help.output());
      Result taken = messenger("--server", server, "--user", budi, "register");
      assertEquals(1, taken.status());
      assertTrue(taken.error().contains("username taken"), taken.error());
      Result sent =
          messenger("--server", server, "--user", ayu, "send", "--to", budi, "hello", "budi");
      assertEquals(0, sent.status(), sent.error());
      Result inbox = messenger("--server", server, "--user", budi, "inbox");
      assertEquals(0, inbox.status(), inbox.error());
      String[] fields = inbox.output().strip().split("\t");
      assertEquals(4, fields.length, inbox.output());
      assertEquals(sent.output().strip(), fields[0], "the id the sender was given");
      assertEquals(ayu, fields[1]);
      assertTrue(fields[2].matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), fields[2]);
      assertEquals("hello budi", fields[3]);
      Result wrong =
          messengerWithPassword("wrong-password", "--server", server, "--user", budi, "inbox");
      assertEquals(1, wrong.status());
      Result silent =
          messenger("--server", "127.0.0.35:4999", "--retries", "1", "--user", budi, "list");
      assertEquals(3, silent.status(), "no server answers");

      Result chat =
          messengerTyping(
              "@" + budi + " hello from the chat\n/list\n/help\n/quit\n",
              "--server",
              server,
              "--user",
              ayu);
      assertEquals(0, chat.status(), chat.error());
      assertTrue(chat.output().contains("logged in as " + ayu), chat.output());
      assertTrue(chat.output().contains("online: "), chat.output());
      assertTrue(chat.output().contains("/inbox"), "the help lists the commands");
      Result after = messenger("--server", server, "--user", budi, "inbox");
      assertTrue(after.output().contains("hello from the chat"), after.output());

      // listen keeps listening until --seconds, not only for the first message
      String cici = "cici-" + RUN;
      assertEquals(0, messenger("--server", server, "--user", cici, "register").status());
      Path heard = Files.createTempFile("messenger", ".out");
      Process listening =
          started(heard, "--server", server, "--user", cici, "listen", "--seconds", "20");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!messenger("--server", server, "--user", ayu, "list").output().contains(cici)) {
        assertTrue(System.nanoTime() < deadline, cici + " never came online");
      }
      for (String text : List.of("first for cici", "second for cici")) {
        assertEquals(
            0, messenger("--server", server, "--user", ayu, "send", "--to", cici, text).status());
      }
      assertTrue(listening.waitFor(60, TimeUnit.SECONDS), "listen ends after --seconds");
      assertEquals(0, listening.exitValue());
      List<String> lines = Files.readAllLines(heard);
      assertEquals(2, lines.size(), "both messages printed: " + lines);
      assertTrue(lines.get(0).endsWith("\tfirst for cici"), lines.get(0));
      assertTrue(lines.get(1).endsWith("\tsecond for cici"), lines.get(1));
    }
  }

  /** Starts the scriptable client in the background, its output going to a file. */
  private static Process started(Path output, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(NodeProcess.REPO.resolve("client/bin/messenger").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(output.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("MESSENGER_PASSWORD", PASSWORD);
    return builder.start();
  }

  private record Result(int status, String output, String error) {}

  private static Result messenger(String... args) throws Exception {
    return messengerWithPassword(PASSWORD, args);
  }

  /** Runs the interactive chat with the given lines typed in. */
  private static Result messengerTyping(String typed, String... args) throws Exception {
    Path in = Files.createTempFile("messenger", ".in");
    Files.writeString(in, typed);
    return run(PASSWORD, in, args);
  }

  private static Result messengerWithPassword(String password, String... args)
      throws IOException, InterruptedException {
    return run(password, null, args);
  }

  private static Result run(String password, Path input, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(NodeProcess.REPO.resolve("client/bin/messenger").toString());
    command.addAll(List.of(args));
    Path out = Files.createTempFile("messenger", ".out");
    Path err = Files.createTempFile("messenger", ".err");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    if (input != null) {
      builder.redirectInput(input.toFile());
    }
    builder.environment().put("MESSENGER_PASSWORD", password);
    Process process = builder.start();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "messenger finished");
    return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static void register(InetSocketAddress server, String user) throws Exception {
    try (Chatter chatter = ChatClients.connect(server)) {
      chatter.client().register(user, PASSWORD);
    }
    assertNotNull(user);
  }
}
