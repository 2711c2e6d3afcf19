package org.kabar.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.kabar.client.RefusedException;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.systemtest.ChatClients.Chatter;

/**
 * Two servers that never met, each with an account of the same name (as after an upgrade from a
 * version without the majority rule, or two deployments joined into one): when they meet, nobody
 * loses an account. The one made first keeps the name on both servers; the other keeps its password
 * under a new name that both servers agree on; the console lists it until an administrator marks it
 * settled.
 */
class ConflictingNamesIT {

  private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
  private static final String A_HOST = "127.0.0.66";
  private static final String B_HOST = "127.0.0.67";
  private static final String ADMIN_PASSWORD = "console-secret-1";

  @Test
  void twoAccountsOfOneNameBothSurviveTheServersMeeting() throws Exception {
    NodeProcess.Settings a =
        NodeProcess.Settings.on("twice-a", A_HOST).withPorts(4999, 5000, 18066);
    NodeProcess.Settings b =
        NodeProcess.Settings.on("twice-b", B_HOST).withPorts(4999, 5000, 18067);
    NodeProcess.wipe(a);
    NodeProcess.wipe(b);
    InetSocketAddress atA = new InetSocketAddress(A_HOST, 4999);
    InetSocketAddress atB = new InetSocketAddress(B_HOST, 4999);
    String name = "twice-" + RUN;
    List<NodeProcess> apart = NodeProcess.startTogether(List.of(a, b));
    try (NodeProcess nodeA = apart.get(0)) {
      try (NodeProcess alone = apart.get(1)) {
        // each server alone is a deployment of one: each registers the name
        register(atA, name, "password-of-ayu");
        register(atB, name, "password-of-budi");
      }
      NodeProcess.Settings joined = b.withPeers(A_HOST + ":5000");
      try (NodeProcess nodeB = NodeProcess.start(joined).assertReady()) {
        meet(a, joined, nodeB, atA, atB, name);
      }
    }
  }

  private static void meet(
      NodeProcess.Settings a,
      NodeProcess.Settings joined,
      NodeProcess nodeB,
      InetSocketAddress atA,
      InetSocketAddress atB,
      String name)
      throws Exception {
    Gauges.await(a, "kabar_peers_active", n -> n == 1, "a lists b");
    Gauges.await(joined, "kabar_peers_active", n -> n == 1, "b lists a");
    Matcher renamed = Pattern.compile("the account made here is now '([a-z0-9._-]+)'").matcher("");
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!renamed.reset(nodeB.output()).find()) {
      assertTrue(System.nanoTime() < deadline, "b renamed its later account:\n" + nodeB.output());
      Thread.sleep(200);
    }
    String newName = renamed.group(1);
    assertTrue(newName.startsWith(name + "-"), newName);
    for (InetSocketAddress server : List.of(atA, atB)) {
      loginWithin(server, name, "password-of-ayu"); // the first account kept the name
      loginWithin(server, newName, "password-of-budi"); // the second kept its password
      try (Chatter chatter = ChatClients.connect(server)) {
        RefusedException wrong =
            assertThrows(
                RefusedException.class, () -> chatter.client().login(name, "password-of-budi"));
        assertEquals(ErrorCode.WRONG_CREDENTIALS, wrong.code());
      }
    }
    settleOnTheConsole(nodeB, "http://" + B_HOST + ":18067/admin/", name, newName);
  }

  /** The console lists the renamed account with the name it was registered as, until settled. */
  private static void settleOnTheConsole(NodeProcess node, String base, String name, String newName)
      throws Exception {
    Matcher link =
        Pattern.compile("no administrator yet: create the first at (\\S+)").matcher(node.output());
    assertTrue(link.find(), "the node logs a one-time setup link");
    try (Browser browser = new Browser()) {
      try {
        browser.open(link.group(1));
        browser.type("setup:name", "root");
        browser.type("setup:password", ADMIN_PASSWORD);
        browser.submit("setup:create");
        browser.awaitText("login", "Name");
        browser.type("login:name", "root");
        browser.type("login:password", ADMIN_PASSWORD);
        browser.click("login:submit");
        browser.awaitText("node-name", "twice-b");
        browser.open(base + "users.xhtml");
        browser.awaitText("conflicts", newName);
        String listed = browser.textOf("conflicts");
        assertTrue(listed.contains(name), "the name it was registered as: " + listed);
        browser.screenshot("console-names-registered-twice");
        browser.submit("conflict-list:conflict-table:0:settle");
        browser.awaitText("users", "Name contains");
        assertFalse(browser.text().contains("Names registered twice"), browser.text());
      } catch (RuntimeException | AssertionError e) {
        browser.screenshot("console-conflict-failure");
        throw new AssertionError(
            "at " + browser.driver().getCurrentUrl() + ":\n" + browser.text(), e);
      }
    }
  }

  private static void register(InetSocketAddress server, String name, String password)
      throws Exception {
    try (Chatter chatter = ChatClients.connect(server)) {
      chatter.client().register(name, password);
    }
  }

  private static void loginWithin(InetSocketAddress server, String name, String password)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try (Chatter chatter = ChatClients.connect(server)) {
        chatter.client().login(name, password);
        return;
      } catch (RefusedException notYet) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(name + " at " + server + ": " + notYet.code(), notYet);
        }
        Thread.sleep(200);
      }
    }
  }
}
