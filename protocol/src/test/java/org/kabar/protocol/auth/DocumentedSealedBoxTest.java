package org.kabar.protocol.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kabar.protocol.client.LoginProofs;

/**
 * The worked sealed boxes of docs/PROTOCOL.md ("A sealed box, worked out"), recomputed byte for
 * byte from the keys they show, and opened with the node's key: an implementer checks against the
 * same values.
 */
class DocumentedSealedBoxTest {

  private static final HexFormat HEX = HexFormat.of();

  /** The example's lines, by what they name (the words before the value's column). */
  private static Map<String, String> example() throws Exception {
    String protocol =
        Files.readString(Path.of("..", "docs", "PROTOCOL.md"), StandardCharsets.UTF_8);
    int at = protocol.indexOf("**A sealed box, worked out.**");
    assertTrue(at > 0, "the worked example is in docs/PROTOCOL.md");
    int open = protocol.indexOf("```\n", at) + 4;
    String block = protocol.substring(open, protocol.indexOf("```", open));
    Map<String, String> values = new HashMap<>();
    for (String line : block.split("\n")) {
      String name = line.substring(0, 28).strip();
      values.put(name, line.substring(28).strip());
    }
    return values;
  }

  @Test
  void theWorkedBoxesAreWhatTheKeysGive() throws Exception {
    Map<String, String> ex = example();
    SealedBox.NodeKey node =
        SealedBox.NodeKey.fromPrivate(HEX.parseHex(ex.get("node private key (hex)")));
    assertEquals(
        ex.get("node key (OK AUTH)"), Base64.getEncoder().encodeToString(node.publicKey()));
    byte[] ephemeral = HEX.parseHex(ex.get("client ephemeral key (hex)"));
    byte[] clientPublic = HEX.parseHex(ex.get("client public key (hex)"));
    assertArrayEquals(clientPublic, SealedBox.NodeKey.fromPrivate(ephemeral).publicKey());

    byte[] salt = new byte[64];
    System.arraycopy(clientPublic, 0, salt, 0, 32);
    System.arraycopy(node.publicKey(), 0, salt, 32, 32);
    byte[] both =
        Hkdf.derive(
            salt,
            HEX.parseHex(ex.get("Z (hex)")),
            "kabar-sealed-box".getBytes(StandardCharsets.US_ASCII),
            64);
    assertEquals(ex.get("AES key (hex)"), HEX.formatHex(Arrays.copyOf(both, 32)));
    assertEquals(ex.get("confirm key (hex)"), HEX.formatHex(Arrays.copyOfRange(both, 32, 64)));

    // the registration: its content is the account's keys for the login example's password
    String content = ex.get("REGISTER content");
    String[] fields = content.split(" ");
    Scram.Keys keys =
        Scram.keys(
            Scram.saltedPassword("secret123", Scram.fromBase64(fields[0]), 600_000),
            Scram.fromBase64(fields[0]),
            600_000);
    assertEquals(
        String.join(
            " ",
            Scram.base64(keys.salt()),
            "600000",
            Scram.base64(keys.storedKey()),
            Scram.base64(keys.serverKey())),
        content);
    String nonce = "rOprNGfwEbeRWgbNEkqO2w3rfcNHYJY1ZVvWVs7j1xVA";
    byte[] context = LoginProofs.sealContext("register", "ayu", nonce);
    assertEquals(ex.get("REGISTER context"), new String(context, StandardCharsets.UTF_8));
    SealedBox.Sealed sealed =
        SealedBox.sealForExample(
            node.publicKey(), content.getBytes(StandardCharsets.UTF_8), context, ephemeral);
    assertEquals(ex.get("REGISTER sealed"), Base64.getEncoder().encodeToString(sealed.box()));
    SealedBox.Opened opened =
        SealedBox.open(node, Base64.getDecoder().decode(ex.get("REGISTER sealed")), context);
    assertEquals(content, new String(opened.plaintext(), StandardCharsets.UTF_8));

    // a directory account's password in PROVE, and the node's signature back
    byte[] login = LoginProofs.sealContext("login", "ayu", nonce);
    assertEquals(ex.get("PROVE context"), new String(login, StandardCharsets.UTF_8));
    SealedBox.Sealed password =
        SealedBox.sealForExample(
            node.publicKey(),
            ex.get("PROVE content (directory)").getBytes(StandardCharsets.UTF_8),
            login,
            ephemeral);
    assertEquals(ex.get("PROVE sealed"), Base64.getEncoder().encodeToString(password.box()));
    SealedBox.Opened proved =
        SealedBox.open(node, Base64.getDecoder().decode(ex.get("PROVE sealed")), login);
    assertEquals("secret123", new String(proved.plaintext(), StandardCharsets.UTF_8));
    assertEquals(
        ex.get("OK LOGIN server signature"), Scram.base64(Hkdf.hmac(proved.confirmKey(), login)));
  }
}
