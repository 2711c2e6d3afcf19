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
import org.kabar.protocol.client.ClientReply.Delivery;
import org.kabar.protocol.client.ClientReply.SessionEnded;
import org.kabar.protocol.client.Command;
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
      browser.submit("setup:create");
      assertTrue(browser.text().contains("between 10 and 128 characters"), browser.text());
      browser.type("setup:password", ADMIN_PASSWORD);
      browser.submit("setup:create");
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

      accountsChannelsAndNotices(browser);

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
      browser.awaitText("log:audit", "kicked the session of " + user);
      browser.awaitText("log:audit", "changed the quota from 10000 to 1");
      browser.awaitText("log:audit", "deleted user fajar-" + RUN);
      browser.awaitText("log:audit", "disabled user gita-" + RUN);
      browser.awaitText("log:audit", "reset the password of gita-" + RUN);
      browser.awaitText("log:audit", "deleted channel #kelas-" + RUN);
      browser.awaitText("log:audit", "users online: the server restarts at 18:00");
      assertTrue(browser.find("log:audit").getText().contains("signed in"));

      // another administrator: added, listed, removed; one's own password changed
      browser.click("nav-admins");
      browser.awaitText("list:admins", "root (you)");
      browser.type("add:name", "ops-" + RUN);
      browser.type("add:password", "short");
      browser.click("add:submit");
      browser.awaitText("add", "at least 10 characters");
      browser.type("add:password", "second-operator-1");
      browser.click("add:submit");
      browser.awaitText("messages", "added administrator ops-" + RUN);
      browser.awaitText("list:admins", "ops-" + RUN);
      browser.type("own:current", "not-my-password");
      browser.type("own:chosen", "a-newer-secret-2");
      browser.click("own:change");
      browser.awaitText("own", "the current password is not right");
      browser.type("own:current", ADMIN_PASSWORD);
      browser.type("own:chosen", "a-newer-secret-2");
      browser.click("own:change");
      browser.awaitText("messages", "your password is changed");
      browser.find("list:admins:0:remove").click(); // ops-… sorts before root
      browser.driver().switchTo().alert().accept();
      browser.awaitText("messages", "removed administrator ops-" + RUN);
      assertFalse(browser.find("list:admins").getText().contains("ops-" + RUN));

      // a phone's width: the navigation is still there
      browser.resize(390, 844);
      browser.click("nav-overview");
      browser.awaitText("node-name", "console");
      assertTrue(browser.find("nav-sessions").isDisplayed());
      browser.screenshot("console-overview-phone");

      browser.find("signout:out").click();
      browser.type("login:name", "root");
      browser.type("login:password", "a-newer-secret-2");
      browser.click("login:submit");
      browser.awaitText("node-name", "console"); // the changed password opens the console
    }
  }

  /**
   * Disabling and enabling an account, a new password, a channel deleted, a notice to everyone
   * online, the message rate, and sorting and paging the users.
   */
  private static void accountsChannelsAndNotices(Browser browser) throws Exception {
    browser.click("nav-servers");
    browser.type("quota:users", "100");
    browser.click("quota:change");
    browser.awaitText("messages", "the quota of this node is now 100 users");

    String gita = "gita-" + RUN;
    String hadi = "hadi-" + RUN;
    String channel = "#kelas-" + RUN;
    BlockingQueue<ClientReply> gitaPushes = new LinkedBlockingQueue<>();
    BlockingQueue<ClientReply> hadiPushes = new LinkedBlockingQueue<>();
    try (MessengerClient g = client(gitaPushes);
        MessengerClient h = client(hadiPushes)) {
      g.register(gita, "secret-123");
      h.register(hadi, "secret-123");
      g.login(gita, "secret-123");
      h.login(hadi, "secret-123");
      g.request(new Command.CreateChannel(channel));
      g.request(new Command.Invite(channel, hadi));
      h.request(new Command.Join(channel));
      for (int i = 0; i < 12; i++) {
        g.send(hadi, "pesan " + i);
      }

      // the overview's rate: the next full ten-second period shows the messages
      browser.click("nav-overview");
      browser.awaitText("servers", "/ 100");
      awaitNot(browser, "rate", "0.0", 30);
      assertFalse(
          browser.find("rate-chart").findElements(By.tagName("polyline")).isEmpty(),
          "a chart of the rate");
      browser.screenshot("console-overview-rate");

      // the account panel: sessions and a count of waiting messages, never their text
      browser.click("nav-users");
      browser.type("users:text", gita);
      browser.click("users:search");
      browser.find("users:table:0:open").click();
      browser.awaitText("account-name", gita);
      browser.awaitText("account-state", "enabled");
      browser.awaitText("account-sessions", "at console from ");
      assertFalse(browser.text().contains("pesan 1"), "no message text in the console");

      // a new password: too short is refused next to the field; then the session ends
      browser.type("reset:password", "short");
      browser.click("reset:set");
      browser.driver().switchTo().alert().accept();
      browser.awaitText("reset", "8 to 128 characters");
      browser.type("reset:password", "fresh-secret-9");
      browser.click("reset:set");
      browser.driver().switchTo().alert().accept();
      browser.awaitText("messages", "set a new password for " + gita);
      assertEquals(new SessionEnded("password-reset"), ended(gitaPushes));
      RefusedException old =
          assertThrows(RefusedException.class, () -> g.login(gita, "secret-123"));
      assertEquals(ErrorCode.WRONG_CREDENTIALS, old.code());
      g.login(gita, "fresh-secret-9");

      // disabled: the session ends, and the right password now gets a clear refusal
      browser.click("actions:disable");
      browser.driver().switchTo().alert().accept();
      browser.awaitText("messages", "disabled " + gita + " on every server");
      browser.awaitText("account-state", "disabled");
      assertEquals(new SessionEnded("disabled"), ended(gitaPushes));
      RefusedException disabled =
          assertThrows(RefusedException.class, () -> g.login(gita, "fresh-secret-9"));
      assertEquals(ErrorCode.ACCOUNT_DISABLED, disabled.code());
      RefusedException wrong =
          assertThrows(RefusedException.class, () -> g.login(gita, "not-her-password"));
      assertEquals(ErrorCode.WRONG_CREDENTIALS, wrong.code(), "nothing told without the password");
      browser.screenshot("console-account-disabled");
      browser.click("actions:enable");
      browser.awaitText("account-state", "enabled");
      g.login(gita, "fresh-secret-9");

      // channels: listed with their members; deleted, nobody is left in it
      browser.click("nav-channels");
      browser.awaitText("channels:table", channel);
      browser.find("channels:table:0:open").click();
      browser.awaitText("places", hadi);
      browser.awaitText("places", gita);
      browser.screenshot("console-channels");
      browser.find("channels:table:0:delete").click();
      browser.driver().switchTo().alert().accept();
      browser.awaitText("messages", "deleted " + channel + " on every server");
      browser.awaitText("channels:table", "deleted");
      RefusedException noChannel =
          assertThrows(RefusedException.class, () -> h.send(channel, "still there?"));
      assertEquals(ErrorCode.NO_SUCH_CHANNEL, noChannel.code());

      // a notice reaches everyone online, as a message from "notice"
      h.logout();
      browser.click("nav-sessions");
      browser.click("notice:send");
      browser.awaitText("notice", "type the notice");
      browser.type("notice:text", "the server restarts at 18:00");
      browser.click("notice:send");
      browser.awaitText("messages", "sent the notice to "); // gita, and eka from before
      Delivery notice = delivery(gitaPushes, "notice");
      assertEquals("all", notice.to());
      assertEquals("the server restarts at 18:00", notice.text());
    }

    // sorting and paging: 26 more users make two pages of 25
    try (MessengerClient c = client(new LinkedBlockingQueue<>())) {
      for (int i = 0; i < 26; i++) {
        c.register(String.format("page%02d-%s", i, RUN), "secret-123");
      }
    }
    browser.click("nav-users");
    browser.type("users:text", "page");
    browser.click("users:search");
    browser.awaitText("users:page", "Page 1 of 2");
    browser.awaitText("users:table", "page00-" + RUN);
    browser.click("users:table:sort-name");
    browser.awaitText("users:table", "page25-" + RUN);
    assertTrue(browser.find("users:table").getText().contains("Name ▼"));
    browser.click("users:next");
    browser.awaitText("users:page", "Page 2 of 2");
    browser.awaitText("users:table", "page00-" + RUN);
    assertFalse(browser.find("users:table").getText().contains("page25-" + RUN));
    browser.screenshot("console-users-paged");
  }

  /** Waits until an element's text is no longer the given text. */
  private static void awaitNot(Browser browser, String id, String text, int seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (browser.textOf(id).strip().equals(text)) {
      assertTrue(System.nanoTime() < deadline, id + " stayed " + text);
      Thread.sleep(500);
    }
  }

  private static SessionEnded ended(BlockingQueue<ClientReply> pushes) throws InterruptedException {
    for (ClientReply push = pushes.poll(10, TimeUnit.SECONDS);
        push != null;
        push = pushes.poll(10, TimeUnit.SECONDS)) {
      if (push instanceof SessionEnded ended) {
        return ended;
      }
    }
    throw new AssertionError("the client was not told its session ended");
  }

  private static Delivery delivery(BlockingQueue<ClientReply> pushes, String from)
      throws InterruptedException {
    for (ClientReply push = pushes.poll(10, TimeUnit.SECONDS);
        push != null;
        push = pushes.poll(10, TimeUnit.SECONDS)) {
      if (push instanceof Delivery d && d.from().equals(from)) {
        return d;
      }
    }
    throw new AssertionError("no message from " + from);
  }

  private static MessengerClient client(BlockingQueue<ClientReply> pushes) throws Exception {
    return new MessengerClient(
        List.of(new InetSocketAddress(HOST, 4999)), new Backoff(500, 2), pushes::add, true);
  }
}
