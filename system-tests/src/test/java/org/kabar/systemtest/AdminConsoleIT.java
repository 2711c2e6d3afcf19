package org.kabar.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.kabar.client.Backoff;
import org.kabar.client.MessengerClient;
import org.kabar.client.RefusedException;
import org.kabar.protocol.client.ClientReply;
import org.kabar.protocol.client.ClientReply.SessionEnded;
import org.kabar.protocol.client.ErrorCode;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;

/**
 * The web console in a real Chromium against a real node: the one-time setup link, sign-in (a wrong
 * password refused), the overview, a user registered over UDP found in Users and Sessions, kicking
 * that session (the client is told), output escaped, and the audit log.
 */
class AdminConsoleIT {

  private static final String HOST = "127.0.0.48";
  private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
  private static final String ADMIN_PASSWORD = "console-secret-1";

  @Test
  void anOperatorSetsUpSignsInSeesAndKicks() throws Exception {
    NodeProcess.Settings settings =
        NodeProcess.Settings.on("console", HOST).withPorts(4999, 5000, 18064);
    NodeProcess.wipe(settings); // a node without an administrator
    String base = "http://" + HOST + ":18064/admin/";
    try (NodeProcess node = NodeProcess.start(settings).assertReady();
        Browser browser = new Browser()) {
      try {
        operate(node, browser, base);
      } catch (RuntimeException | AssertionError e) {
        browser.screenshot("console-failure");
        throw new AssertionError(
            "at " + browser.driver().getCurrentUrl() + ":\n" + browser.text(), e);
      }
    }
  }

  private static void operate(NodeProcess node, Browser browser, String base) throws Exception {
    {
      Matcher link =
          Pattern.compile("no administrator yet: create the first at (\\S+)")
              .matcher(node.output());
      assertTrue(link.find(), "the node logs a one-time setup link");
      String setupLink = link.group(1);
      assertTrue(setupLink.startsWith(base + "setup.xhtml?token="), setupLink);

      // the console needs a sign-in, and says how to get the first administrator
      browser.open(base);
      browser.find("login:name");
      assertTrue(browser.find("no-admin").getText().contains("one-time setup link"));

      // the setup link: a short password is refused next to its field, then the first admin
      browser.open(setupLink);
      browser.type("setup:name", "root");
      browser.type("setup:password", "short");
      browser.click("setup:create");
      assertTrue(browser.text().contains("between 10 and 128 characters"), browser.text());
      browser.type("setup:password", ADMIN_PASSWORD);
      browser.click("setup:create");
      browser.awaitText("login", "Name");
      assertTrue(browser.text().contains("administrator root created"), browser.text());
      browser.open(setupLink);
      browser.awaitText("invalid", "not valid");

      // a wrong password is refused; the right one opens the overview
      browser.open(base);
      browser.type("login:name", "root");
      browser.type("login:password", "not-the-password");
      browser.click("login:submit");
      browser.awaitText("login:messages", "wrong name or password");
      browser.screenshot("console-sign-in-refused");
      browser.type("login:name", "root");
      browser.type("login:password", ADMIN_PASSWORD);
      browser.click("login:submit");
      browser.awaitText("node-name", "console");
      browser.awaitText("servers", "console (this node)");
      browser.screenshot("console-overview");

      // a user of the messenger, logged in over UDP, shows in Users and Sessions
      String user = "dewi-" + RUN;
      BlockingQueue<ClientReply> pushes = new LinkedBlockingQueue<>();
      try (MessengerClient client = client(pushes)) {
        client.register(user, "secret-123");
        client.login(user, "secret-123");
        browser.awaitText("users-here", "1 / 10000"); // the overview refreshes by itself

        browser.click("nav-users");
        browser.type("users:text", "dewi");
        browser.click("users:search");
        browser.awaitText("users:table", user);

        browser.click("nav-sessions");
        browser.awaitText("sessions:table", user);
        browser.screenshot("console-sessions");
        browser.find("sessions:table:0:kick").click();
        browser.driver().switchTo().alert().accept();
        browser.awaitText("messages", "ended the session of " + user);
        ClientReply told = pushes.poll(10, TimeUnit.SECONDS);
        while (told != null && !(told instanceof SessionEnded)) {
          told = pushes.poll(10, TimeUnit.SECONDS);
        }
        assertEquals(new SessionEnded("kicked"), told, "the client is told it was kicked");
        assertFalse(client.loggedIn(), "and no longer holds the session");
      }

      // the server list: add one (nothing answers there: it turns inactive), then remove it
      browser.click("nav-servers");
      browser.type("add:host", "127.0.0.249");
      browser.type("add:port", "5000");
      browser.click("add:submit");
      browser.awaitText("list:servers", "127.0.0.249:5000");
      browser.awaitText("list:servers", "inactive");
      browser.type("add:port", "70000");
      browser.type("add:host", "127.0.0.249");
      browser.click("add:submit");
      browser.awaitText("add", "1 to 65535"); // said next to the field
      browser.click("nav-servers");
      browser.find("list:servers:1:remove").click();
      browser.driver().switchTo().alert().accept();
      browser.awaitText("messages", "removed 127.0.0.249:5000");
      assertFalse(browser.find("list:servers").getText().contains("127.0.0.249"));

      // the quota, changed live: the next login beyond it is answered "full"
      browser.type("quota:users", "1");
      browser.click("quota:change");
      browser.awaitText("messages", "the quota of this node is now 1 users");
      String first = "eka-" + RUN;
      String second = "fajar-" + RUN;
      try (MessengerClient one = client(pushes);
          MessengerClient two = client(pushes)) {
        one.register(first, "secret-123");
        one.register(second, "secret-123");
        one.login(first, "secret-123");
        RefusedException full =
            assertThrows(RefusedException.class, () -> two.login(second, "secret-123"));
        assertEquals(ErrorCode.FULL, full.code());

        // an account deleted from the console is gone: its password no longer opens anything
        browser.click("nav-users");
        browser.type("users:text", second);
        browser.click("users:search");
        browser.awaitText("users:table", second);
        browser.find("users:table:0:delete").click();
        browser.driver().switchTo().alert().accept();
        browser.awaitText("messages", "deleted " + second + " on every server");
        RefusedException gone =
            assertThrows(RefusedException.class, () -> two.login(second, "secret-123"));
        assertEquals(ErrorCode.WRONG_CREDENTIALS, gone.code());
      }

      // what an operator types is shown as text, never run
      browser.click("nav-users");
      String markup = "<script>alert('x')</script>";
      browser.type("users:text", markup);
      browser.click("users:search");
      browser.awaitText("users:none", markup);
      assertThrows(NoAlertPresentException.class, () -> browser.driver().switchTo().alert());
      assertTrue(browser.driver().findElements(By.cssSelector("#users\\:none script")).isEmpty());

      // the audit log says who did what
      browser.click("nav-audit");
      browser.awaitText("audit", "kicked the session of " + user);
      browser.awaitText("audit", "changed the quota from 10000 to 1");
      browser.awaitText("audit", "deleted user fajar-" + RUN);
      assertTrue(browser.find("audit").getText().contains("signed in"));

      // a phone's width: the navigation is still there
      browser.resize(390, 844);
      browser.click("nav-overview");
      browser.awaitText("node-name", "console");
      assertTrue(browser.find("nav-sessions").isDisplayed());
      browser.screenshot("console-overview-phone");

      browser.find("signout:out").click();
      browser.find("login:name");
    }
  }

  private static MessengerClient client(BlockingQueue<ClientReply> pushes) throws Exception {
    return new MessengerClient(
        List.of(new InetSocketAddress(HOST, 4999)), new Backoff(500, 2), pushes::add, true);
  }
}
