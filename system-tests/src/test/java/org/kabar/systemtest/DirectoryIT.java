package org.kabar.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.unboundid.ldap.listener.Base64PasswordEncoderOutputFormatter;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.SaltedMessageDigestInMemoryPasswordEncoder;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.kabar.client.Backoff;
import org.kabar.client.MessengerClient;
import org.kabar.client.RefusedException;
import org.kabar.protocol.client.ClientReply;
import org.kabar.protocol.client.ClientReply.SessionEnded;
import org.kabar.protocol.client.ErrorCode;

/**
 * A node whose accounts live in a directory (an in-process UnboundID server that verifies salted
 * SHA hashes like OpenLDAP): directory users sign in with their directory password, registration
 * waits for an administrator from the directory's group who approves or rejects it in the console,
 * hostile names never reach the directory, a user deleted from the directory loses the session, and
 * a directory that is down gives a clear error while signed-in users keep chatting.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DirectoryIT {

  private static final String HOST = "127.0.0.81";
  private static final String BASE = "dc=kabar,dc=test";
  private static final String PEOPLE = "ou=people," + BASE;
  private static final String NODE_DN = "cn=kabar-node," + BASE;
  private static final String ADMINS = "cn=chat-admins,ou=groups," + BASE;

  private static InMemoryDirectoryServer directory;
  private static int port;
  private static NodeProcess node;
  private static TcpRelay relay;

  @BeforeAll
  static void start() throws Exception {
    InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = probe.getLocalPort(); // fixed, so that the directory comes back on the same port
    }
    config.setListenerConfigs(
        InMemoryListenerConfig.createLDAPConfig(
            "ldap", InetAddress.getByName("127.0.0.1"), port, null));
    config.addAdditionalBindCredentials(NODE_DN, "node-secret-1");
    // like OpenLDAP: {SSHA} values verify on bind; seeded users keep clear passwords
    config.setPasswordEncoders(
        null,
        new SaltedMessageDigestInMemoryPasswordEncoder(
            "{SSHA}",
            Base64PasswordEncoderOutputFormatter.getInstance(),
            MessageDigest.getInstance("SHA-1"),
            8,
            true,
            true));
    directory = new InMemoryDirectoryServer(config);
    directory.add("dn: " + BASE, "objectClass: top", "objectClass: domain", "dc: kabar");
    directory.add("dn: " + PEOPLE, "objectClass: organizationalUnit", "ou: people");
    directory.add("dn: ou=groups," + BASE, "objectClass: organizationalUnit", "ou: groups");
    person("ayu", "ayu-directory-1");
    person("eko", "eko-directory-1");
    person("operator", "operator-directory-1");
    directory.add(
        "dn: " + ADMINS,
        "objectClass: groupOfNames",
        "cn: chat-admins",
        "member: uid=operator," + PEOPLE);
    directory.startListening();
    // the node reaches the directory through a relay that can be made to hang
    relay = new TcpRelay(new InetSocketAddress("127.0.0.1", port));

    NodeProcess.Settings settings =
        NodeProcess.Settings.on("directory", HOST)
            .withPorts(4999, 5000, 18121)
            .withEnv("KABAR_ACCOUNTS", "ldap")
            .withEnv("KABAR_LDAP_URL", "ldap://127.0.0.1:" + relay.port())
            .withEnv("KABAR_LDAP_BASE_DN", BASE)
            .withEnv("KABAR_LDAP_BIND_DN", NODE_DN)
            .withEnv("KABAR_LDAP_BIND_PASSWORD", "node-secret-1")
            .withEnv("KABAR_LDAP_REGISTRATION", "approval")
            .withEnv("KABAR_LDAP_ADMIN_GROUP", ADMINS)
            .withEnv("KABAR_LDAP_TIMEOUT_MS", "1500")
            .withEnv("KABAR_LDAP_CHECK_SECONDS", "2");
    NodeProcess.wipe(settings);
    node = NodeProcess.start(settings).assertReady();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (node != null) {
        node.close();
      }
    } finally {
      relay.close();
      directory.shutDown(true);
    }
  }

  private static void person(String uid, String password) throws Exception {
    directory.add(
        "dn: uid=" + uid + "," + PEOPLE,
        "objectClass: inetOrgPerson",
        "uid: " + uid,
        "cn: " + uid.toUpperCase(),
        "sn: " + uid,
        "userPassword: " + password);
  }

  private static MessengerClient client(BlockingQueue<ClientReply> pushes) throws Exception {
    return new MessengerClient(
        List.of(new InetSocketAddress(HOST, 4999)), new Backoff(500, 3), pushes::add, true);
  }

  private static ErrorCode refusal(ThrowingCall call) {
    return assertThrows(RefusedException.class, call::run).code();
  }

  @FunctionalInterface
  private interface ThrowingCall {
    void run() throws Exception;
  }

  @Test
  @Order(2)
  void directoryUsersSignInWithTheirDirectoryPasswordOnly() throws Exception {
    try (MessengerClient ayu = client(new LinkedBlockingQueue<>())) {
      assertEquals(ErrorCode.WRONG_CREDENTIALS, refusal(() -> ayu.login("ayu", "not-her-pass")));
      assertEquals(ErrorCode.WRONG_CREDENTIALS, refusal(() -> ayu.login("nobody", "whatever-1")));
      ayu.login("ayu", "ayu-directory-1");
      assertTrue(ayu.online().contains("ayu"));
      ayu.logout();
    }
  }

  @Test
  @Order(3)
  void hostileNamesNeverReachTheDirectory() throws Exception {
    try (MessengerClient c = client(new LinkedBlockingQueue<>())) {
      for (String name : List.of("*", "*)(uid=*", "ayu)(|(uid=*", "cn=admin,dc=kabar")) {
        assertEquals(
            ErrorCode.BAD_ARGUMENTS, refusal(() -> c.register(name, "whatever-123")), name);
        assertEquals(ErrorCode.BAD_ARGUMENTS, refusal(() -> c.login(name, "whatever-123")), name);
      }
    }
    // the console's sign-in takes any name: a filter in it matches nobody
    try (Browser browser = new Browser()) {
      browser.open("http://" + HOST + ":18121/admin/");
      browser.type("login:name", "*)(uid=*))(|(uid=*");
      browser.type("login:password", "operator-directory-1");
      browser.click("login:submit");
      browser.awaitText("login:messages", "wrong name or password");
      browser.type("login:name", "*");
      browser.type("login:password", "operator-directory-1");
      browser.click("login:submit");
      browser.awaitText("login:messages", "wrong name or password");
    }
  }

  @Test
  @Order(4)
  void aRegistrationWaitsForAnAdministratorFromTheDirectoryGroup() throws Exception {
    try (MessengerClient budi = client(new LinkedBlockingQueue<>());
        MessengerClient cici = client(new LinkedBlockingQueue<>());
        Browser browser = new Browser()) {
      assertEquals(ErrorCode.PENDING_APPROVAL, refusal(() -> budi.register("budi", "budi-pass-1")));
      assertEquals(ErrorCode.PENDING_APPROVAL, refusal(() -> budi.login("budi", "budi-pass-1")));
      assertEquals(ErrorCode.WRONG_CREDENTIALS, refusal(() -> budi.login("budi", "guessing-1")));
      assertEquals(ErrorCode.NAME_TAKEN, refusal(() -> cici.register("budi", "other-pass-1")));
      assertEquals(ErrorCode.NAME_TAKEN, refusal(() -> cici.register("eko", "other-pass-1")));
      assertNull(directory.getEntry("uid=budi," + PEOPLE), "nothing in the directory yet");
      assertEquals(ErrorCode.PENDING_APPROVAL, refusal(() -> cici.register("cici", "cici-pass-1")));

      // a member of the directory's group signs in to the console with the directory password
      browser.open("http://" + HOST + ":18121/admin/");
      browser.type("login:name", "eko"); // not in the group
      browser.type("login:password", "eko-directory-1");
      browser.click("login:submit");
      browser.awaitText("login:messages", "wrong name or password");
      browser.type("login:name", "operator");
      browser.type("login:password", "operator-directory-1");
      browser.click("login:submit");
      browser.awaitText("node-name", "directory");
      browser.click("nav-registrations");
      browser.awaitText("requests:table", "budi");
      browser.awaitText("requests:table", "cici");
      browser.screenshot("console-registrations");
      browser.find("requests:table:0:approve").click();
      browser.awaitText("messages", "approved budi: the entry is in the directory");
      browser.find("requests:table:0:reject").click();
      browser.driver().switchTo().alert().accept();
      browser.awaitText("messages", "rejected cici");

      SearchResultEntry entry = directory.getEntry("uid=budi," + PEOPLE);
      assertTrue(entry.hasObjectClass("inetOrgPerson"), entry.toLDIFString());
      String stored = entry.getAttributeValue("userPassword");
      assertTrue(stored.startsWith("{SSHA}"), "a salted hash, never the password: " + stored);
      budi.login("budi", "budi-pass-1");
      assertEquals(
          ErrorCode.REGISTRATION_REJECTED, refusal(() -> cici.login("cici", "cici-pass-1")));
      assertNull(directory.getEntry("uid=cici," + PEOPLE));

      browser.click("nav-audit");
      browser.awaitText("log:audit", "approved the registration of budi");
      browser.awaitText("log:audit", "rejected the registration of cici");
    }
  }

  @Test
  @Order(5)
  void aUserDeletedFromTheDirectoryLosesTheSession() throws Exception {
    person("fajar", "fajar-directory-1");
    BlockingQueue<ClientReply> pushes = new LinkedBlockingQueue<>();
    try (MessengerClient fajar = client(pushes)) {
      fajar.login("fajar", "fajar-directory-1");
      directory.delete("uid=fajar," + PEOPLE);
      ClientReply told = pushes.poll(15, TimeUnit.SECONDS);
      while (told != null && !(told instanceof SessionEnded)) {
        told = pushes.poll(15, TimeUnit.SECONDS);
      }
      assertEquals(new SessionEnded("disabled"), told, "the periodic check ended the session");
      assertEquals(
          ErrorCode.WRONG_CREDENTIALS, refusal(() -> fajar.login("fajar", "fajar-directory-1")));
    }
  }

  @Test
  @Order(7)
  void aSlowDirectoryTimesOutWithoutHoldingUpOtherUsers() throws Exception {
    person("hana", "hana-directory-1");
    try (MessengerClient ayu = client(new LinkedBlockingQueue<>());
        MessengerClient hana =
            new MessengerClient(
                List.of(new InetSocketAddress(HOST, 4999)),
                new Backoff(1000, 5),
                push -> {},
                true)) {
      ayu.login("ayu", "ayu-directory-1");
      relay.stall(true); // the directory takes connections and never answers
      try {
        long start = System.nanoTime();
        CompletableFuture<ErrorCode> waiting =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    hana.login("hana", "hana-directory-1");
                    return null;
                  } catch (RefusedException e) {
                    return e.code();
                  } catch (Exception e) {
                    throw new CompletionException(e);
                  }
                });
        Thread.sleep(300); // hana's login now waits on the directory
        for (int i = 0; i < 5; i++) {
          assertTrue(ayu.online().contains("ayu")); // answered meanwhile
        }
        assertTrue(
            Duration.ofNanos(System.nanoTime() - start).toMillis() < 1500,
            "ayu's requests were not held up behind hana's login");
        assertEquals(ErrorCode.DIRECTORY_UNAVAILABLE, waiting.get(15, TimeUnit.SECONDS));
        long waited = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(waited >= 1000 && waited < 10_000, "gave up after the timeout: " + waited);
      } finally {
        relay.stall(false);
      }
      hana.login("hana", "hana-directory-1");
    }
  }

  @Test
  @Order(6)
  void aDirectoryThatIsDownGivesAClearErrorAndSignedInUsersCarryOn() throws Exception {
    person("gita", "gita-directory-1");
    try (MessengerClient ayu = client(new LinkedBlockingQueue<>());
        MessengerClient gita = client(new LinkedBlockingQueue<>())) {
      ayu.login("ayu", "ayu-directory-1");
      directory.shutDown(false); // the listener stops; the data stays
      try {
        long start = System.nanoTime();
        assertEquals(
            ErrorCode.DIRECTORY_UNAVAILABLE, refusal(() -> gita.login("gita", "gita-directory-1")));
        assertTrue(
            Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10,
            "the refusal comes within the timeout, not after the client gives up");
        assertEquals(
            ErrorCode.DIRECTORY_UNAVAILABLE, refusal(() -> gita.register("hadi", "hadi-pass-1")));
        // ayu signed in before: her session does not need the directory
        assertTrue(ayu.online().contains("ayu"));
        ayu.inbox();
      } finally {
        directory.startListening();
      }
      // nothing half made: the name is still free, and gita signs in again
      gita.login("gita", "gita-directory-1");
      assertEquals(ErrorCode.PENDING_APPROVAL, refusal(() -> gita.register("hadi", "hadi-pass-1")));
    }
  }

  @Test
  @Order(8)
  void unregisteringKeepsTheDirectoryEntryAndDisablesTheChatAccount() throws Exception {
    person("ina", "ina-directory-1");
    try (MessengerClient ina = client(new LinkedBlockingQueue<>())) {
      ina.login("ina", "ina-directory-1");
      assertEquals(ErrorCode.WRONG_CREDENTIALS, refusal(() -> ina.unregister("not-hers-123")));
      ina.unregister("ina-directory-1"); // KABAR_LDAP_UNREGISTER is disable by default
      assertTrue(directory.getEntry("uid=ina," + PEOPLE) != null, "the entry stays");
      assertEquals(ErrorCode.ACCOUNT_DISABLED, refusal(() -> ina.login("ina", "ina-directory-1")));
    }
  }

  @Test
  @Order(1)
  void theNodeSaysWhereItsAccountsLive() {
    Matcher line =
        Pattern.compile("accounts live in the directory at (\\S+)").matcher(node.output());
    assertTrue(line.find(), "logged at start");
    assertEquals("ldap://127.0.0.1:" + relay.port(), line.group(1));
  }
}
