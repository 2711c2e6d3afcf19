package org.kabar.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The standard EAR (RAR + EJB jar + WAR) deployed on full Payara Server, which, unlike Payara
 * Micro, deploys EARs: the embedded adapter must answer a real datagram.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EarOnPayaraServerIT {

  private static final String HOST = "127.0.0.24";
  private static final String DOMAIN = "kabar-it";
  private static final int PORT_BASE = 28000; // admin 28048, HTTP 28080

  private final Path payara = Path.of(System.getProperty("kabar.payaraServer")).toAbsolutePath();
  private final Path ear = Path.of(System.getProperty("kabar.ear")).toAbsolutePath();
  private final Path domains = NodeProcess.WORK.resolve("payara-domains");

  @BeforeAll
  void startDomainAndDeploy() throws Exception {
    Files.createDirectories(domains);
    asadmin(120, "delete-domain", "--domaindir", domains.toString(), DOMAIN); // from a prior run
    assertEquals(
        0,
        asadmin(
            180,
            "create-domain",
            "--nopassword",
            "--portbase",
            String.valueOf(PORT_BASE),
            "--domaindir",
            domains.toString(),
            DOMAIN),
        "domain created");
    assertEquals(0, asadmin(240, "start-domain", "--domaindir", domains.toString(), DOMAIN));
    assertEquals(
        0,
        asadmin(300, "--port", String.valueOf(PORT_BASE + 48), "deploy", ear.toString()),
        "EAR deployed");
  }

  @AfterAll
  void stopDomain() throws Exception {
    asadmin(120, "stop-domain", "--domaindir", domains.toString(), DOMAIN);
  }

  @Test
  void theEarsEmbeddedAdapterAnswersALiveCheck() throws Exception {
    String reply = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try (UdpClient client = new UdpClient(HOST, 4999)) {
      while (reply == null && System.nanoTime() < deadline) {
        reply = client.request("/@live?"); // start-domain returns before the app has loaded
      }
    }
    assertEquals("yes\n", reply);
  }

  private int asadmin(int timeoutSeconds, String... arguments)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(payara.resolve("bin/asadmin").toString());
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    // the adapter embedded in the EAR is named <application>#<module>
    env.put("KABAR_RA_NAME", "kabar#jca-udp-adapter");
    env.put("KABAR_RA_REF", "#jca-udp-adapter");
    env.put("KABAR_NODE_NAME", "ear");
    env.put("KABAR_BIND", HOST);
    env.put("KABAR_DB_NAME", NodeProcess.WORK.resolve("ear-db").toString());
    env.put("AS_JAVA", System.getProperty("java.home"));
    Path log = NodeProcess.WORK.resolve("asadmin.log");
    builder.redirectOutput(
        ProcessBuilder.Redirect.appendTo(
            Files.createDirectories(log.getParent()).resolve("asadmin.log").toFile()));
    Process process = builder.start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("asadmin " + arguments[0] + " timed out; see " + log);
    }
    return process.exitValue();
  }
}
