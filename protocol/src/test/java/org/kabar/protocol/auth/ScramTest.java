package org.kabar.protocol.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ScramTest {

  // RFC 7677, section 3: user "user", password "pencil"
  private static final String CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO";
  private static final String NONCE = CLIENT_NONCE + "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
  private static final String SALT = "W22ZaJ0SNY7soEsUEjb6gQ==";

  private static String authMessage() {
    return Scram.authMessage("user", CLIENT_NONCE, NONCE, SALT, 4096);
  }

  private static Scram.ClientKeys pencil() {
    return Scram.clientKeys(Scram.saltedPassword("pencil", Scram.fromBase64(SALT), 4096));
  }

  @Test
  void theProofAndSignatureOfRfc7677() {
    assertEquals(
        "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
        Scram.base64(Scram.clientProof(pencil(), authMessage())));
    assertEquals(
        "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
        Scram.base64(Scram.serverSignature(pencil().serverKey(), authMessage())));
  }

  @Test
  void theServerAcceptsTheRightProofOnlyWithTheStoredKey() {
    Scram.Keys stored =
        Scram.keys(
            Scram.saltedPassword("pencil", Scram.fromBase64(SALT), 4096),
            Scram.fromBase64(SALT),
            4096);
    byte[] proof = Scram.fromBase64("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
    assertTrue(Scram.verify(stored.storedKey(), authMessage(), proof));
    proof[0] ^= 1;
    assertFalse(Scram.verify(stored.storedKey(), authMessage(), proof), "an altered proof");
    Scram.ClientKeys wrong =
        Scram.clientKeys(Scram.saltedPassword("pencil!", Scram.fromBase64(SALT), 4096));
    assertFalse(
        Scram.verify(stored.storedKey(), authMessage(), Scram.clientProof(wrong, authMessage())),
        "a proof made with another password");
    assertFalse(Scram.verify(stored.storedKey(), authMessage(), new byte[5]), "a short proof");
  }

  @Test
  void aProofIsTiedToItsNonces() {
    Scram.ClientKeys keys = pencil();
    byte[] proof = Scram.clientProof(keys, authMessage());
    String replayed = Scram.authMessage("user", CLIENT_NONCE, CLIENT_NONCE + "other", SALT, 4096);
    assertFalse(Scram.verify(keys.storedKey(), replayed, proof));
  }

  @Test
  void theServerSignatureIsChecked() {
    Scram.ClientKeys keys = pencil();
    byte[] signature = Scram.serverSignature(keys.serverKey(), authMessage());
    assertTrue(Scram.verifyServer(keys, authMessage(), signature));
    signature[31] ^= 1;
    assertFalse(Scram.verifyServer(keys, authMessage(), signature));
  }

  @Test
  void aSaltedPasswordIsPbkdf2WithHmacSha256OfTheUtf8Password() {
    // the published PBKDF2-HMAC-SHA256 vector: "password", salt "salt", 4096 iterations
    assertEquals(
        "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a",
        HexFormat.of().formatHex(Scram.saltedPassword("password", "salt".getBytes(), 4096)));
  }

  @Test
  void iterationsOutsideTheBoundsAreRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> Scram.saltedPassword("x", new byte[16], 1000));
    assertThrows(
        IllegalArgumentException.class,
        () -> Scram.saltedPassword("x", new byte[16], Scram.MAX_ITERATIONS + 1));
  }
}
