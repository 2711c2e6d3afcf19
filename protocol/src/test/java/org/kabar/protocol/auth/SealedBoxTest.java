package org.kabar.protocol.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SealedBoxTest {

  private static final byte[] CONTEXT = "n=ayu,r=abc".getBytes(StandardCharsets.UTF_8);
  private static final byte[] SECRET = "ayu-directory-secret".getBytes(StandardCharsets.UTF_8);

  @Test
  void theNodeOpensWhatWasSealedForIt() throws GeneralSecurityException {
    SealedBox.NodeKey node = SealedBox.NodeKey.generate();
    SealedBox.Sealed sealed = SealedBox.seal(node.publicKey(), SECRET, CONTEXT);
    SealedBox.Opened opened = SealedBox.open(node, sealed.box(), CONTEXT);
    assertArrayEquals(SECRET, opened.plaintext());
    assertArrayEquals(
        sealed.confirmKey(), opened.confirmKey(), "both sides hold the same proof key");
  }

  @Test
  void theBoxDoesNotHoldTheSecretInClear() {
    SealedBox.NodeKey node = SealedBox.NodeKey.generate();
    byte[] box = SealedBox.seal(node.publicKey(), SECRET, CONTEXT).box();
    assertFalse(
        new String(box, StandardCharsets.ISO_8859_1).contains("secret"), "no plaintext in the box");
  }

  @Test
  void anotherNodeCannotOpenIt() {
    SealedBox.Sealed sealed =
        SealedBox.seal(SealedBox.NodeKey.generate().publicKey(), SECRET, CONTEXT);
    assertThrows(
        GeneralSecurityException.class,
        () -> SealedBox.open(SealedBox.NodeKey.generate(), sealed.box(), CONTEXT));
  }

  @Test
  void anAlteredBoxOrAnotherContextIsRefused() {
    SealedBox.NodeKey node = SealedBox.NodeKey.generate();
    byte[] box = SealedBox.seal(node.publicKey(), SECRET, CONTEXT).box();
    for (int at : new int[] {0, 31, 32, box.length - 1}) {
      byte[] altered = box.clone();
      altered[at] ^= 1;
      assertThrows(GeneralSecurityException.class, () -> SealedBox.open(node, altered, CONTEXT));
    }
    assertThrows(
        GeneralSecurityException.class,
        () -> SealedBox.open(node, box, "n=budi,r=abc".getBytes(StandardCharsets.UTF_8)));
    assertThrows(
        GeneralSecurityException.class,
        () -> SealedBox.open(node, Arrays.copyOf(box, 40), CONTEXT));
  }

  @Test
  void aKeyOfSmallOrderIsRefused() {
    SealedBox.NodeKey node = SealedBox.NodeKey.generate();
    byte[] box = SealedBox.seal(node.publicKey(), SECRET, CONTEXT).box();
    byte[] forged = box.clone();
    Arrays.fill(forged, 0, 32, (byte) 0); // the all-zero point: no secret is agreed with it
    assertThrows(GeneralSecurityException.class, () -> SealedBox.open(node, forged, CONTEXT));
    assertThrows(
        IllegalArgumentException.class, () -> SealedBox.seal(new byte[32], SECRET, CONTEXT));
  }
}
