package org.kabar.protocol.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import org.junit.jupiter.api.Test;
import org.kabar.protocol.auth.Scram;
import org.kabar.protocol.auth.SealedBox;
import org.kabar.protocol.client.ClientReply.AuthChallenge;
import org.kabar.protocol.client.ClientReply.AuthChallenge.Mode;

/** The client's half of the login exchange against what a server computes from its side. */
class LoginProofsTest {

  private static final String NONCE_C = LoginProofs.clientNonce();
  private static final String NONCE = NONCE_C + "server-part-of-the-nonce";
  private final SealedBox.NodeKey node = SealedBox.NodeKey.generate();
  private final String nodeKey = Scram.base64(node.publicKey());
  private final Scram.Keys stored = Scram.keysFor("ayu-secret-1", 2048);

  private AuthChallenge scram() {
    return new AuthChallenge(
        3, NONCE, nodeKey, Mode.SCRAM, Scram.base64(stored.salt()), stored.iterations());
  }

  @Test
  void aScramProofVerifiesAgainstTheStoredKeysAndTheServerProvesItselfBack() {
    LoginProofs.Proof proof = LoginProofs.prove("ayu", "ayu-secret-1", NONCE_C, scram());
    String message = Scram.authMessage("ayu", NONCE_C, NONCE, scram().salt(), 2048);
    assertTrue(Scram.verify(stored.storedKey(), message, Scram.fromBase64(proof.proof())));
    String signature = Scram.base64(Scram.serverSignature(stored.serverKey(), message));
    assertTrue(proof.serverProved(signature));
    assertFalse(proof.serverProved(Scram.base64(new byte[32])), "an impostor cannot");
    LoginProofs.Proof wrong = LoginProofs.prove("ayu", "ayu-secret-2", NONCE_C, scram());
    assertFalse(Scram.verify(stored.storedKey(), message, Scram.fromBase64(wrong.proof())));
  }

  @Test
  void theProofDoesNotHoldThePassword() {
    LoginProofs.Proof proof = LoginProofs.prove("ayu", "ayu-secret-1", NONCE_C, scram());
    assertFalse(proof.proof().contains("ayu-secret"));
  }

  @Test
  void aDirectoryPasswordIsSealedForTheNodeAndTheNodeProvesItOpenedIt()
      throws GeneralSecurityException {
    AuthChallenge directory = new AuthChallenge(3, NONCE, nodeKey, Mode.DIRECTORY, null, 0);
    LoginProofs.Proof proof = LoginProofs.prove("ayu", "ldap-secret-1", NONCE_C, directory);
    byte[] context = LoginProofs.sealContext("login", "ayu", NONCE);
    SealedBox.Opened opened = SealedBox.open(node, Scram.fromBase64(proof.proof()), context);
    assertEquals("ldap-secret-1", new String(opened.plaintext(), StandardCharsets.UTF_8));
    assertTrue(
        proof.serverProved(
            Scram.base64(org.kabar.protocol.auth.Hkdf.hmac(opened.confirmKey(), context))));
  }

  @Test
  void aRegistrationSealsNewKeysAtTheCostAskedFor() throws GeneralSecurityException {
    String sealed = LoginProofs.registration("budi", "budi-secret-1", scram());
    byte[] plain =
        SealedBox.open(
                node, Scram.fromBase64(sealed), LoginProofs.sealContext("register", "budi", NONCE))
            .plaintext();
    String[] f = new String(plain, StandardCharsets.UTF_8).split(" ");
    assertEquals(4, f.length);
    assertEquals("2048", f[1]);
    byte[] salt = Scram.fromBase64(f[0]);
    Scram.Keys expected = Scram.keys(Scram.saltedPassword("budi-secret-1", salt, 2048), salt, 2048);
    assertArrayEquals(expected.storedKey(), Scram.fromBase64(f[2]));
    assertArrayEquals(expected.serverKey(), Scram.fromBase64(f[3]));
  }

  @Test
  void anUnregisterProofIsBoundToTheSessionsToken() {
    String token = "AbCdEfGhIjKlMnOpQrSt_-";
    String proof = LoginProofs.unregister("ayu", token, "ayu-secret-1", scram());
    assertTrue(
        Scram.verify(
            stored.storedKey(),
            LoginProofs.unregisterMessage("ayu", token),
            Scram.fromBase64(proof)));
    assertFalse(
        Scram.verify(
            stored.storedKey(),
            LoginProofs.unregisterMessage("ayu", "ZZCdEfGhIjKlMnOpQrSt_-"),
            Scram.fromBase64(proof)));
  }

  @Test
  void aChallengeMustExtendTheClientsNonce() {
    assertTrue(LoginProofs.answers(scram(), NONCE_C));
    assertFalse(LoginProofs.answers(scram(), LoginProofs.clientNonce()));
  }
}
