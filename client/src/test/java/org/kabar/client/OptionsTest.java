package org.kabar.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsTest {

  @Test
  void parsesServersUserPasswordAndTheSubcommand() throws Exception {
    Options options =
        Options.parse(
            new String[] {
              "--server",
              "10.0.0.1:4999",
              "--server",
              "chat:5999",
              "--user",
              "ayu",
              "send",
              "--to",
              "budi",
              "hello",
              "there"
            },
            Map.of("MESSENGER_PASSWORD", "from-env-1"));
    assertEquals(List.of("10.0.0.1:4999", "chat:5999"), options.servers());
    assertEquals("ayu", options.user());
    assertEquals("from-env-1", options.password());
    assertEquals("send", options.subcommand());
    assertEquals("budi", options.to());
    assertEquals(List.of("hello", "there"), options.arguments());
  }

  @Test
  void thePasswordOptionWinsOverTheEnvironmentAndTheServerDefaultsToLocal() throws Exception {
    Options options =
        Options.parse(new String[] {"--password", "given-123"}, Map.of("MESSENGER_PASSWORD", "x"));
    assertEquals("given-123", options.password());
    assertEquals(List.of("127.0.0.1:4999"), options.servers());
    assertEquals(20, options.aliveSeconds(), "keep-alives within a NAT binding's 30 s");
  }

  @Test
  void theAliveIntervalIsAtLeastOneSecond() throws Exception {
    assertEquals(5, Options.parse(new String[] {"--alive", "5"}, Map.of()).aliveSeconds());
    assertThrows(
        Options.UsageException.class, () -> Options.parse(new String[] {"--alive", "0"}, Map.of()));
  }

  @Test
  void badCommandLinesAreUsageErrors() {
    assertThrows(
        Options.UsageException.class, () -> Options.parse(new String[] {"--user"}, Map.of()));
    assertThrows(
        Options.UsageException.class, () -> Options.parse(new String[] {"--frob"}, Map.of()));
    assertThrows(
        Options.UsageException.class,
        () -> Options.parse(new String[] {"--count", "-1"}, Map.of()));
  }

  @Test
  void serversMustBeHostAndPort() {
    assertEquals(new InetSocketAddress("127.0.0.1", 4999), Servers.parse("127.0.0.1:4999"));
    for (String bad : List.of("host", "host:", ":4999", "host:0", "host:70000", "host:x")) {
      assertThrows(IllegalArgumentException.class, () -> Servers.parse(bad), bad);
    }
  }

  @Test
  void aUsageErrorExitsWithStatus2AndExplains() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Messenger.run(
            new String[] {"send"},
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(Messenger.USAGE, status);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--user is needed"));
  }

  @Test
  void helpAnywhereOnTheLinePrintsTheUsageAndSucceeds() {
    for (String[] line :
        new String[][] {
          {"--help"}, {"-h"}, {"help"}, {"send", "--help"}, {"--user", "ayu", "listen", "-h"}
        }) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int status =
          Messenger.run(
              line,
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8));
      assertEquals(Messenger.OK, status, String.join(" ", line));
      assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: messenger"));
      assertEquals("", err.toString(StandardCharsets.UTF_8), String.join(" ", line));
    }
  }

  @Test
  void backoffDoublesFromAboutOneSecondAndLeavesASilentServerWithinElevenSeconds() {
    Backoff backoff = Backoff.DEFAULT;
    long total = 0;
    for (int attempt = 0; attempt <= backoff.retries(); attempt++) {
      long wait = backoff.waitMillis(attempt);
      long base = 1_000L << attempt;
      assertTrue(wait >= base && wait <= base * 3 / 2, attempt + ": " + wait);
      total += wait;
    }
    assertTrue(total <= 10_500, "a silent server is left after " + total + " ms");
  }
}
