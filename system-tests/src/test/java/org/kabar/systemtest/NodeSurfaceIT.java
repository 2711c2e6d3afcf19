package org.kabar.systemtest;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.kabar.systemtest.Listeners.Listener;

/**
 * What a node exposes on its machine, started both ways an operator starts one ({@code
 * messenger-node} and {@code java -jar kabar-node.jar}): its files readable by their owner only,
 * every listener on the bind address and no data grid without a cluster name, and no readiness
 * answered 200 before the node's own check is UP.
 */
class NodeSurfaceIT {

  private static final Set<PosixFilePermission> GROUP_OR_OTHER =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  @Test
  void theScriptKeepsTheDataItsOwnersAndListensOnlyOnTheBindAddress() throws Exception {
    String host = "127.0.6.45";
    NodeProcess.Settings settings =
        NodeProcess.Settings.on("surface", host).withPorts(4999, 5000, 18645);
    NodeProcess.wipe(settings);
    // what an earlier version left: a data directory and a log anyone could read
    Path logs = Files.createDirectories(settings.data().resolve("logs"));
    Files.writeString(logs.resolve("node.log"), "an earlier start's setup link\n");
    Files.setPosixFilePermissions(settings.data(), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(logs, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(
        logs.resolve("node.log"), PosixFilePermissions.fromString("rw-r--r--"));

    try (ReadinessWatch readiness = new ReadinessWatch(host, 18645);
        NodeProcess node = NodeProcess.launch(settings)) {
      node.awaitReady();
      readiness.awaitNodeUp(Duration.ofSeconds(60));
      long pid = node.javaProcess().orElseThrow().pid();
      assertAll(
          () ->
              assertEquals(
                  List.of(), readiness.earlyAnswers(), "200 before the node's check was UP"),
          () -> assertEquals(200, readiness.consoleStatusWhenReady(), "the console when ready"),
          () -> {
            assertMode("rwx------", settings.data());
            assertMode("rw-------", logs.resolve("node.log"));
            assertMode("rw-------", logs.resolve("derby.log"));
            assertMode("rwx------", settings.data().resolve("db"));
            assertMode("rwx------", settings.data().resolve("runtime"));
            assertOwnerOnly(settings.data());
            assertTrue(
                Files.readString(logs.resolve("node.log")).contains("no administrator yet"),
                "the setup link is in the log, for its owner");
          },
          () -> assertListensOnlyOn(host, pid, Set.of("tcp 5000", "tcp 18645", "udp 4999")));
    }
  }

  @Test
  void theNodeJarDoesTheSameConfiguredByTheEnvironment() throws Exception {
    String host = "127.0.6.46";
    Path jar = NodeProcess.WORK.resolve("kabar-node-surface.jar");
    Path run = NodeProcess.WORK.resolve("surface-jar");
    NodeProcess.wipe(run);
    Files.createDirectories(run);
    Path buildLog = NodeProcess.WORK.resolve("surface-jar-build.log");
    Process build =
        new ProcessBuilder(
                NodeProcess.REPO.resolve("server-config/bin/messenger-node").toString(),
                "--build-jar",
                jar.toString())
            .redirectErrorStream(true)
            .redirectOutput(buildLog.toFile())
            .start();
    assertTrue(build.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, build.exitValue(), Files.readString(buildLog));

    // a permissive umask, as whoever runs the jar may have: the database is restricted all the same
    ProcessBuilder start =
        new ProcessBuilder(
                "sh",
                "-c",
                "umask 022; exec \"$0\" -Xmx384m -jar \"$1\" --port 18646 --sslport 18647",
                System.getProperty("java.home") + "/bin/java",
                jar.toString())
            .directory(run.toFile())
            .redirectErrorStream(true)
            .redirectOutput(run.resolve("node.out").toFile());
    start.environment().put("KABAR_NODE_NAME", "surface-jar");
    start.environment().put("KABAR_BIND", host);
    start.environment().put("KABAR_DB_NAME", run.resolve("db").toString());
    start.environment().put("KABAR_PASSWORD_ITERATIONS", "1024");
    try (ReadinessWatch readiness = new ReadinessWatch(host, 18646)) {
      Process node = start.start();
      try {
        readiness.awaitNodeUp(Duration.ofSeconds(240));
        assertAll(
            () ->
                assertEquals(
                    List.of(), readiness.earlyAnswers(), "200 before the node's check was UP"),
            () -> assertEquals(200, readiness.consoleStatusWhenReady(), "the console when ready"),
            () -> {
              assertMode("rwx------", run.resolve("db"));
              assertOwnerOnly(run.resolve("db"));
              assertMode("rw-------", run.resolve("derby.log"));
            },
            () ->
                assertListensOnlyOn(
                    host, node.pid(), Set.of("tcp 5000", "tcp 18646", "tcp 18647", "udp 4999")),
            () -> {
              String cookie = httpsSetCookie("https://" + host + ":18647/admin/login.xhtml");
              List<String> attributes = List.of(cookie.split(";\\s*"));
              assertTrue(attributes.contains("Secure"), "over TLS the cookie is Secure: " + cookie);
              assertTrue(
                  attributes.stream().anyMatch(a -> a.equalsIgnoreCase("SameSite=Strict")), cookie);
            });
      } finally {
        node.toHandle().destroy();
        if (!node.waitFor(30, TimeUnit.SECONDS)) {
          node.destroyForcibly();
        }
      }
    }
  }

  private static void assertListensOnlyOn(String host, long pid, Set<String> expected)
      throws IOException {
    List<Listener> listeners = Listeners.of(pid);
    for (Listener listener : listeners) {
      assertEquals(host, listener.address(), "every listener on the bind address: " + listeners);
    }
    assertEquals(
        expected,
        listeners.stream().map(l -> l.protocol() + " " + l.port()).collect(Collectors.toSet()),
        "the node's own ports and nothing else (no data grid): " + listeners);
  }

  private static void assertMode(String mode, Path path) throws IOException {
    assertEquals(
        mode,
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS)),
        path.toString());
  }

  private static void assertOwnerOnly(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.toList()) {
        if (Files.isSymbolicLink(path)) {
          continue;
        }
        Set<PosixFilePermission> open = EnumSet.copyOf(GROUP_OR_OTHER);
        open.retainAll(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
        assertEquals(Set.of(), open, "group or others may reach " + path);
      }
    } catch (java.io.UncheckedIOException goneMeanwhile) {
      // Derby removes temporary files while the tree is walked: walk again
      assertOwnerOnly(directory);
    }
  }

  /** The Set-Cookie of an HTTPS answer, trusting the node's own self-signed certificate. */
  private static String httpsSetCookie(String url) throws Exception {
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, new TrustManager[] {new TrustingTheNode()}, null);
    HttpsURLConnection https = (HttpsURLConnection) new URL(url).openConnection();
    https.setSSLSocketFactory(tls.getSocketFactory());
    https.setHostnameVerifier((name, session) -> true);
    try {
      assertEquals(200, https.getResponseCode(), url);
      return https.getHeaderField("Set-Cookie");
    } finally {
      https.disconnect();
    }
  }

  /** Payara Micro's built-in certificate is self-signed: this test trusts it, nobody else. */
  private static final class TrustingTheNode implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
