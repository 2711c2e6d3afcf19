package org.kabar.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.kabar.client.Backoff;
import org.kabar.client.MessengerClient;
import org.kabar.client.RefusedException;
import org.kabar.protocol.client.ErrorCode;

/**
 * A real OpenLDAP, started by {@code server-config/bin/demo-directory} as an operator would, and a
 * node using the options it prints: a directory user signs in over UDP, a new user registers into
 * the directory (checked with {@code ldapsearch}), signs in, and unregisters, which deletes the
 * entry; a member of the directory's administrators' group opens the console.
 */
class SlapdDirectoryIT {

  private static final String HOST = "127.0.0.82";
  private static final int LDAP_PORT = 3489;
  private static final String PEOPLE = "ou=people,dc=example,dc=org";

  @Test
  void aNodeOnTheDemoDirectoryRegistersSignsInAndUnregistersThroughIt() throws Exception {
    Path out = Files.createTempFile("demo-directory", ".out");
    Process slapd =
        new ProcessBuilder(
                NodeProcess.REPO.resolve("server-config/bin/demo-directory").toString(),
                "--port",
                String.valueOf(LDAP_PORT))
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    try {
      String printed = await(out, "--ldap-bind-password-file", slapd);
      Matcher file = Pattern.compile("--ldap-bind-password-file (\\S+)").matcher(printed);
      assertTrue(file.find(), printed);
      Path passwordFile = Path.of(file.group(1));

      NodeProcess.Settings settings =
          NodeProcess.Settings.on("slapd-node", HOST)
              .withPorts(4999, 5000, 18122)
              .withEnv("KABAR_ACCOUNTS", "ldap")
              .withEnv("KABAR_LDAP_URL", "ldap://127.0.0.1:" + LDAP_PORT)
              .withEnv("KABAR_LDAP_BASE_DN", "dc=example,dc=org")
              .withEnv("KABAR_LDAP_BIND_DN", "cn=kabar-node,dc=example,dc=org")
              .withEnv("KABAR_LDAP_BIND_PASSWORD_FILE", passwordFile.toString())
              .withEnv("KABAR_LDAP_REGISTRATION", "open")
              .withEnv("KABAR_LDAP_UNREGISTER", "delete")
              .withEnv("KABAR_LDAP_ADMIN_GROUP", "cn=chat-admins,ou=groups,dc=example,dc=org");
      NodeProcess.wipe(settings);
      try (NodeProcess node = NodeProcess.start(settings).assertReady();
          MessengerClient ayu = client();
          MessengerClient dewi = client()) {
        // a directory user, with the directory password
        ayu.login("ayu", "ayu-password-1");
        RefusedException wrong =
            assertThrows(RefusedException.class, () -> dewi.login("budi", "not-budis-1"));
        assertEquals(ErrorCode.WRONG_CREDENTIALS, wrong.code());

        // a new user registers into the directory: the entry is there, with a hashed password
        dewi.register("dewi", "dewi-password-1");
        String entry = ldapsearch(passwordFile, "(uid=dewi)", "objectClass", "userPassword");
        assertTrue(entry.contains("dn: uid=dewi," + PEOPLE), entry);
        assertTrue(entry.contains("objectClass: inetOrgPerson"), entry);
        assertTrue(userPassword(entry).startsWith("{SSHA}"), "stored hashed: " + entry);
        assertFalse(entry.contains("dewi-password-1"), entry);
        RefusedException taken =
            assertThrows(RefusedException.class, () -> ayu.register("budi", "budi-again-1"));
        assertEquals(ErrorCode.NAME_TAKEN, taken.code(), "a name the directory has is taken");

        // and signs in with it, then unregisters: the entry is deleted
        dewi.login("dewi", "dewi-password-1");
        assertTrue(ayu.online().contains("dewi"));
        dewi.unregister("dewi-password-1");
        assertFalse(
            ldapsearch(passwordFile, "(uid=dewi)", "uid").contains("uid=dewi"),
            "unregistering deleted the entry");

        // the directory's administrators' group opens the console
        try (Browser browser = new Browser()) {
          browser.open("http://" + HOST + ":18122/admin/");
          browser.type("login:name", "ayu");
          browser.type("login:password", "ayu-password-1");
          browser.click("login:submit");
          browser.awaitText("node-name", "slapd-node");
          browser.click("nav-users");
          browser.type("users:text", "ayu");
          browser.click("users:search");
          browser.find("users:table:0:open").click();
          browser.awaitText("account", "Passwords are kept in the directory");
          browser.awaitText("account-display", "Ayu Lestari"); // the directory's displayName
          browser.screenshot("console-directory-user");
        }
      }
    } finally {
      slapd.destroy(); // SIGTERM, as Ctrl-C would: slapd stops and its data goes
      assertTrue(slapd.waitFor(20, TimeUnit.SECONDS), "demo-directory stopped");
    }
  }

  private static MessengerClient client() throws Exception {
    return new MessengerClient(
        List.of(new InetSocketAddress(HOST, 4999)), new Backoff(500, 3), push -> {}, true);
  }

  /** Runs the real ldapsearch as the node's account, which may read password hashes. */
  private static String ldapsearch(Path passwordFile, String filter, String... attributes)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "ldapsearch",
                "-x",
                "-LLL",
                "-o",
                "ldif-wrap=no",
                "-H",
                "ldap://127.0.0.1:" + LDAP_PORT,
                "-D",
                "cn=kabar-node,dc=example,dc=org",
                "-y",
                passwordFile.toString(),
                "-b",
                PEOPLE,
                filter));
    command.addAll(List.of(attributes));
    Process search = new ProcessBuilder(command).redirectErrorStream(true).start();
    String text = new String(search.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(search.waitFor(10, TimeUnit.SECONDS));
    assertEquals(0, search.exitValue(), text);
    return text;
  }

  /** The userPassword value in ldapsearch's LDIF, decoded if it was printed in base64. */
  private static String userPassword(String ldif) {
    for (String line : ldif.lines().toList()) {
      if (line.startsWith("userPassword:: ")) {
        return new String(
            Base64.getDecoder().decode(line.substring("userPassword:: ".length()).strip()),
            StandardCharsets.UTF_8);
      }
      if (line.startsWith("userPassword: ")) {
        return line.substring("userPassword: ".length()).strip();
      }
    }
    return "";
  }

  private static String await(Path file, String text, Process process) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      String content = Files.readString(file);
      if (content.contains(text)) {
        return content;
      }
      assertTrue(process.isAlive(), "demo-directory ended:\n" + content);
      Thread.sleep(200);
    }
    throw new AssertionError(
        "demo-directory never printed " + text + ":\n" + Files.readString(file));
  }
}
