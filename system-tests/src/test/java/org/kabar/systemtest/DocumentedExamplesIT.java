package org.kabar.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.kabar.protocol.client.ClientReply.AuthChallenge;
import org.kabar.protocol.client.LoginProofs;

/**
 * What README.md and docs/PROTOCOL.md show a reader: every {@code $ command} of their examples is
 * run in a shell against a real node (its address put in place of the documents' 127.0.0.1) and
 * must print what the document shows ({@code ...} stands for anything), and the worked login
 * exchange must be what the SCRAM computation gives for its password.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DocumentedExamplesIT {

  private static final String HOST = "127.0.9.1";
  private static final int HTTP = 18091;
  private final NodeProcess.Settings settings =
      NodeProcess.Settings.on("node1", HOST).withPorts(4999, 5000, HTTP);
  private NodeProcess node;

  /** A documented command and the lines it prints. */
  record Example(String document, String command, List<String> output) {}

  @BeforeAll
  void startNode() throws Exception {
    node = NodeProcess.start(settings).assertReady();
  }

  @AfterAll
  void stopNode() throws Exception {
    node.close();
  }

  static List<Example> examples(Path document) throws IOException {
    List<Example> found = new ArrayList<>();
    boolean inBlock = false;
    String command = null;
    List<String> output = new ArrayList<>();
    for (String line : Files.readAllLines(document, StandardCharsets.UTF_8)) {
      if (line.startsWith("```")) {
        if (inBlock && command != null) {
          found.add(new Example(document.getFileName().toString(), command, output));
        }
        inBlock = !inBlock;
        command = null;
        output = new ArrayList<>();
      } else if (inBlock && line.startsWith("$ ")) {
        if (command != null) {
          found.add(new Example(document.getFileName().toString(), command, output));
        }
        command = line.substring(2);
        output = new ArrayList<>();
      } else if (inBlock && command != null) {
        output.add(line);
      }
    }
    return found;
  }

  private String onTheTestNode(String command) {
    return command
        .replace("127.0.0.1:8080", HOST + ":" + HTTP)
        .replace("127.0.0.1 4999", HOST + " 4999");
  }

  private static boolean matches(String shown, String printed) {
    String[] parts = shown.split("\\.\\.\\.", -1);
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(parts[i]));
    }
    return printed.matches(regex.toString());
  }

  @Test
  void everyShellExampleOfTheReadmeAndTheProtocolPrintsWhatTheyShow() throws Exception {
    List<Example> all = new ArrayList<>();
    all.addAll(examples(NodeProcess.REPO.resolve("README.md")));
    all.addAll(examples(NodeProcess.REPO.resolve("docs/PROTOCOL.md")));
    assertTrue(all.size() >= 5, "the documents' examples: " + all);
    for (Example example : all) {
      Process shell =
          new ProcessBuilder("bash", "-c", onTheTestNode(example.command()))
              .redirectErrorStream(true)
              .start();
      assertTrue(shell.waitFor(20, TimeUnit.SECONDS), example + " did not finish");
      List<String> printed =
          new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
              .lines()
              .toList();
      assertEquals(
          example.output().size(),
          printed.size(),
          example.document() + ": `" + example.command() + "` printed " + printed);
      for (int i = 0; i < printed.size(); i++) {
        assertTrue(
            matches(example.output().get(i), printed.get(i)),
            example.document()
                + ": `"
                + example.command()
                + "` shows "
                + example.output().get(i)
                + " but printed "
                + printed.get(i));
      }
    }
  }

  private static final Pattern AUTH =
      Pattern.compile("← K1 1 OK AUTH (\\S+) (\\S+) scram (\\S+) (\\d+)");
  private static final Pattern PROVE = Pattern.compile("→ K1 2 PROVE (\\S+) (\\S+) ……");
  private static final Pattern LOGGED_IN = Pattern.compile("← K1 2 OK LOGIN \\S+ (\\S+) .*");
  private static final Pattern MESSAGE = Pattern.compile("AuthMessage = (\\S+)");

  @Test
  void theWorkedLoginExchangeIsWhatScramGivesForItsPassword() throws Exception {
    String protocol = Files.readString(NodeProcess.REPO.resolve("docs/PROTOCOL.md"));
    int at = protocol.indexOf("worked out for user `ayu`, password `secret123`");
    assertTrue(at > 0, "the worked example");
    String worked =
        protocol.substring(at, protocol.indexOf("```\n", protocol.indexOf("```", at) + 3));
    Matcher auth = find(AUTH, worked);
    Matcher prove = find(PROVE, worked);
    Matcher signature = find(LOGGED_IN, worked);
    Matcher message = find(MESSAGE, worked);
    String clientNonce = find(Pattern.compile("→ K1 1 AUTH ayu (\\S+) ……"), worked).group(1);
    AuthChallenge challenge =
        new AuthChallenge(
            1,
            auth.group(1),
            auth.group(2),
            AuthChallenge.Mode.SCRAM,
            auth.group(3),
            Integer.parseInt(auth.group(4)));
    assertTrue(LoginProofs.answers(challenge, clientNonce), "the nonce starts with the client's");
    assertEquals(message.group(1), LoginProofs.authMessage("ayu", clientNonce, challenge));
    LoginProofs.Proof proof = LoginProofs.prove("ayu", "secret123", clientNonce, challenge);
    assertEquals(auth.group(1), prove.group(1), "PROVE names the nonce of OK AUTH");
    assertEquals(proof.proof(), prove.group(2), "the client proof shown");
    assertTrue(proof.serverProved(signature.group(1)), "the server signature shown");
    assertFalse(worked.contains("secret123 "), "the password is not in the exchange");
  }

  private static Matcher find(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    assertTrue(m.find(), pattern + " in the worked example");
    return m;
  }
}
