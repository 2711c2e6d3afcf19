package org.kabar.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.kabar.protocol.client.ClientCodec;
import org.kabar.protocol.client.ClientReply;
import org.kabar.protocol.client.ClientReply.Delivery;
import org.kabar.protocol.client.ClientReply.ErrorReply;
import org.kabar.protocol.client.Command;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.protocol.client.Request;
import org.kabar.systemtest.ChatClients.Chatter;

/**
 * Overload is shed, not queued: a node told to bound a SEND's wait in its queue at 1 ms gets a
 * burst of 100 SENDs at once. Those that waited longer are refused with {@code ERR 507 busy, retry
 * in <n> ms} and nothing stored; sent again after the wait, every one is accepted, and the
 * recipient gets each message once.
 */
class OverloadIT {

  private static final String HOST = "127.0.0.56";
  private static final String PASSWORD = "secret-123";
  private static final int BURST = 100;
  private static final Pattern HINT = Pattern.compile("busy, retry in (\\d+) ms");

  /** The wait an ERR 507 names, checked to be within the documented bounds. */
  private static long hintOf(ErrorReply error, String text) {
    assertEquals(ErrorCode.BUSY, error.code(), text);
    Matcher matched = HINT.matcher(error.text());
    assertTrue(matched.matches(), "a retry hint: " + text);
    long millis = Long.parseLong(matched.group(1));
    assertTrue(millis >= 50 && millis <= 5_000, text);
    return millis;
  }

  @Test
  void aBurstBeyondTheQueuesBoundIsRefusedWithAHintAndNothingIsLostOrStoredTwice()
      throws Exception {
    NodeProcess.Settings settings =
        NodeProcess.Settings.on("overload", HOST)
            .withPorts(4999, 5000, 18056)
            .withEnv("KABAR_SHED_AFTER_MILLIS", "1")
            .withEnv("KABAR_RATE_SESSION_PER_SECOND", "100000"); // the bound, not the rate limit
    NodeProcess.wipe(settings);
    InetSocketAddress server = new InetSocketAddress(HOST, 4999);
    try (NodeProcess node = NodeProcess.start(settings).assertReady();
        UdpClient sender = new UdpClient(HOST, 4999)) {
      for (String user : new String[] {"ayu", "bayu"}) {
        assertInstanceOf(ClientReply.Done.class, sender.register(user, PASSWORD), user);
      }
      String token = sender.login("ayu", PASSWORD);
      Map<Long, byte[]> unanswered = new LinkedHashMap<>();
      for (int i = 0; i < BURST; i++) {
        long seq = sender.nextSeq();
        unanswered.put(
            seq,
            ClientCodec.encodeRequest(
                new Request(seq, token, new Command.Send("bayu", "burst " + i))));
      }
      Map<Long, Long> accepted = new HashMap<>();
      // the burst: all at once, as fast as the socket takes them
      for (byte[] datagram : unanswered.values()) {
        sender.socket().send(new DatagramPacket(datagram, datagram.length, server));
      }
      Map<Long, Long> hints = new LinkedHashMap<>();
      Set<Long> waiting = new HashSet<>(unanswered.keySet());
      for (String text = sender.receive(); text != null; ) {
        ClientReply reply = UdpClient.decode(text);
        if (reply instanceof ClientReply.Sent sent && waiting.remove(sent.seq())) {
          accepted.put(sent.seq(), sent.id());
          unanswered.remove(sent.seq());
        } else if (reply instanceof ErrorReply error && waiting.remove(error.seq())) {
          hints.put(error.seq(), hintOf(error, text));
        }
        text = waiting.isEmpty() ? null : sender.receive();
      }
      assertTrue(waiting.isEmpty(), waiting.size() + " SENDs of the burst got no answer");
      int refused = hints.size();
      assertTrue(refused > 0, "a burst of " + BURST + " beyond a 1 ms bound: some refused");
      long longestHint = hints.values().stream().mapToLong(Long::longValue).max().orElse(0);
      // each refused one again once the wait it was told is over (the protocol's backoff, not a
      // wait for a condition), one at a time: a client that sends no faster than it is answered
      Thread.sleep(longestHint);
      for (long seq : hints.keySet()) {
        long hint = 0;
        for (int attempt = 0; attempt < 10 && !accepted.containsKey(seq); attempt++) {
          Thread.sleep(hint);
          byte[] datagram = unanswered.get(seq);
          sender.socket().send(new DatagramPacket(datagram, datagram.length, server));
          for (String text = sender.receive(); text != null; text = sender.receive()) {
            ClientReply reply = UdpClient.decode(text);
            if (reply instanceof ClientReply.Sent sent && sent.seq() == seq) {
              accepted.put(seq, sent.id());
              unanswered.remove(seq);
              break;
            } else if (reply instanceof ErrorReply error && error.seq() == seq) {
              hint = hintOf(error, text);
              break;
            }
          }
        }
      }
      assertTrue(unanswered.isEmpty(), unanswered.size() + " SENDs never accepted");
      assertEquals(BURST, new HashSet<>(accepted.values()).size(), "one message per SEND");
      Gauges.await(settings, "kabar_client_sends_shed", n -> n >= 1, "refusals are counted");

      try (Chatter bayu = ChatClients.connect(server)) {
        bayu.client().login("bayu", PASSWORD);
        Set<String> shown = new HashSet<>();
        Delivery next;
        while (shown.size() < BURST && (next = bayu.next(Duration.ofSeconds(15))) != null) {
          assertTrue(shown.add(next.text()), "shown twice: " + next.text());
        }
        assertEquals(BURST, shown.size(), "every accepted message arrives");
        assertEquals(BURST, bayu.client().inbox().size(), "and is stored once");
      }
      System.out.printf(
          "overload: %d SENDs, %d refusals with a hint (longest %d ms), all accepted in the end%n",
          BURST, refused, longestHint);
    }
  }
}
