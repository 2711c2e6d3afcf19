package org.kabar.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.Cookie;

/**
 * The console's defences against a real node and a real Chromium: the session cookie's attributes
 * as sent and as kept, typed URLs of the protected pages, sign-in back-off per address and per name
 * with its audit, and a flood of sign-ins while passwords cost 600,000 PBKDF2 iterations.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleSecurityIT {

  private static final String HOST = "127.0.6.1";
  private static final int HTTP = 18601;
  private static final String BASE = "http://" + HOST + ":" + HTTP + "/admin/";
  private static final String PASSWORD = "console-guard-1";
  private static final String WRONG = "wrong name or password";
  private static final String THROTTLED = "too many failed sign-ins";
  private static final String BUSY = "the console is busy";

  /** The pages behind the console's token, with their headings. */
  private static final Map<String, String> PROTECTED =
      Map.of(
          "users", "Users",
          "servers", "Servers",
          "sessions", "Sessions",
          "channels", "Channels",
          "registrations", "Registrations",
          "admins", "Administrators");

  private NodeProcess node;
  private Browser operator;

  @BeforeAll
  void startANodeAndItsFirstAdministrator() throws Exception {
    NodeProcess.Settings settings =
        NodeProcess.Settings.on("console-guard", HOST)
            .withPorts(4999, 5000, HTTP)
            // the cost the accounts are about to get by default: the bounds must hold with it
            .withEnv("KABAR_PASSWORD_ITERATIONS", "600000");
    NodeProcess.wipe(settings);
    node = NodeProcess.start(settings).assertReady();
    operator = new Browser();
    Matcher link =
        Pattern.compile("no administrator yet: create the first at (\\S+)").matcher(node.output());
    assertTrue(link.find(), "the node logs a one-time setup link");
    operator.open(link.group(1));
    operator.type("setup:name", "root");
    operator.type("setup:password", PASSWORD);
    operator.submit("setup:create");
    operator.awaitText("login", "Name");
  }

  @AfterAll
  void stop() throws Exception {
    if (operator != null) {
      operator.close();
    }
    if (node != null) {
      node.close();
    }
  }

  @Test
  @Order(1)
  void theSessionCookieIsSentAndKeptWithSameSiteStrict() throws Exception {
    String setCookie =
        new ConsoleHttp(HOST, HTTP, "127.0.6.2").get("/admin/login.xhtml").header("set-cookie");
    assertNotNull(setCookie, "the sign-in page starts a session");
    List<String> attributes = List.of(setCookie.split(";\\s*"));
    assertTrue(attributes.get(0).startsWith("JSESSIONID="), setCookie);
    assertTrue(attributes.stream().anyMatch(a -> a.equalsIgnoreCase("SameSite=Strict")), setCookie);
    assertTrue(attributes.contains("HttpOnly"), setCookie);
    assertFalse(attributes.contains("Secure"), "not over plain HTTP, or no browser keeps it");

    operator.open(BASE + "login.xhtml");
    operator.find("login:name");
    Cookie kept = operator.driver().manage().getCookieNamed("JSESSIONID");
    assertNotNull(kept, "Chromium keeps the session cookie");
    assertEquals("Strict", kept.getSameSite(), "as Chromium holds it");
    assertTrue(kept.isHttpOnly());
  }

  @Test
  @Order(2)
  void aTypedUrlOfEveryProtectedPageGivesTheSignInOrThePage() throws Exception {
    for (String page : PROTECTED.keySet()) {
      operator.open(BASE + page + ".xhtml");
      operator.find("login:name"); // signed out: the sign-in
    }
    // signed out with a bookmark of a protected page: signing in lands on it
    operator.open(BASE + "users.xhtml");
    operator.type("login:name", "root");
    operator.type("login:password", PASSWORD);
    operator.click("login:submit");
    operator.awaitHeading("Users");
    operator.find("users:text");
    for (Map.Entry<String, String> page : PROTECTED.entrySet()) {
      operator.open(BASE + page.getKey() + ".xhtml");
      operator.awaitHeading(page.getValue());
      assertFalse(operator.driver().getPageSource().contains("Exception"), page.getKey());
    }
    operator.screenshot("console-typed-url");
  }

  @Test
  @Order(3)
  void wrongSignInsAreThrottledPerAddressAndPerNameAndAudited() throws Exception {
    try (Browser intruder = new Browser()) {
      intruder.open(BASE);
      for (int i = 1; i <= 5; i++) {
        signIn(intruder, "root", "guess-" + i);
        intruder.awaitText("login:messages", WRONG);
      }
      signIn(intruder, "root", "guess-6");
      intruder.awaitText("login:messages", THROTTLED);
      intruder.screenshot("console-sign-in-throttled");
      // the address waits out its back-off even with the right password
      signIn(intruder, "root", PASSWORD);
      intruder.awaitText("login:messages", THROTTLED);
    }

    // one address's guesses stay its own: from another, the right password works at once
    ConsoleHttp elsewhere = new ConsoleHttp(HOST, HTTP, "127.0.6.2");
    ConsoleHttp.Response admitted = elsewhere.signIn(elsewhere.signInForm(), "root", PASSWORD);
    assertEquals(302, admitted.status(), admitted.messages().toString());
    assertTrue(admitted.header("location").endsWith("/admin/index.xhtml"));

    // one name guessed from ten addresses waits, for every address
    for (int i = 10; i < 20; i++) {
      ConsoleHttp guesser = new ConsoleHttp(HOST, HTTP, "127.0.6." + i);
      assertEquals(
          List.of(WRONG), guesser.signIn(guesser.signInForm(), "nobody", "guess").messages());
    }
    ConsoleHttp fresh = new ConsoleHttp(HOST, HTTP, "127.0.6.20");
    List<String> refused = fresh.signIn(fresh.signInForm(), "nobody", "guess").messages();
    assertTrue(refused.get(0).startsWith(THROTTLED), refused.toString());

    // the audit log holds every failure, and each wait once however often it was hit
    operator.click("nav-audit");
    operator.awaitText("log:audit", "failed sign-in from 127.0.6.19");
    String audit = operator.find("log:audit").getText();
    assertEquals(15, count(audit, "failed sign-in from "), audit);
    assertEquals(1, count(audit, "failed sign-ins of name nobody"), audit);
    assertEquals(1, count(audit, " s: 5 failed sign-ins of address"), audit);
    assertTrue(audit.contains("signed in from 127.0.6.2"), audit);
    operator.screenshot("console-audit-refusals");
  }

  @Test
  @Order(4)
  void aFloodOfSignInsIsBoundedAndTheNodeKeepsServing() throws Exception {
    int flood = 16;
    List<ConsoleHttp> clients = new ArrayList<>();
    List<String> forms = new ArrayList<>();
    for (int i = 0; i < flood; i++) {
      ConsoleHttp client = new ConsoleHttp(HOST, HTTP, "127.0.6." + (21 + i));
      clients.add(client);
      forms.add(client.signInForm());
    }
    ExecutorService threads = Executors.newFixedThreadPool(flood);
    try (UdpClient chat = new UdpClient(HOST, 4999)) {
      CountDownLatch go = new CountDownLatch(1);
      List<CompletableFuture<List<String>>> answers = new ArrayList<>();
      for (int i = 0; i < flood; i++) {
        ConsoleHttp client = clients.get(i);
        String form = forms.get(i);
        String name = "flood-" + i; // every name and address new: nothing throttled first
        answers.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    go.await();
                    return client.signIn(form, name, "guess").messages();
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                },
                threads));
      }
      go.countDown();
      assertEquals("yes\n", chat.request("/@live?"), "the node answers its users meanwhile");
      int busy = 0;
      for (CompletableFuture<List<String>> answer : answers) {
        String message = answer.get(60, TimeUnit.SECONDS).get(0);
        assertTrue(message.equals(WRONG) || message.startsWith(BUSY), message);
        busy += message.startsWith(BUSY) ? 1 : 0;
      }
      assertTrue(busy > 0, "more sign-ins at once than checks: some refused unchecked");
      assertTrue(busy < flood, "and some checked");
    } finally {
      threads.shutdownNow();
    }
    operator.click("nav-overview");
    operator.awaitText("node-name", "console-guard");
  }

  private static void signIn(Browser browser, String name, String password) {
    browser.type("login:name", name);
    browser.type("login:password", password);
    browser.submit("login:submit");
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }
}
