package org.kabar.server.accounts.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.kabar.protocol.auth.Scram;

class CredentialsTest {

  @Test
  void keysRoundTripThroughTheirStoredForm() {
    Scram.Keys keys = Scram.keysFor("correct-horse", 2048);
    String stored = Credentials.format(keys);
    assertTrue(stored.startsWith("SCRAM-SHA-256:2048:"), stored);
    Scram.Keys back = Credentials.parse(stored).orElseThrow();
    assertArrayEquals(keys.salt(), back.salt());
    assertArrayEquals(keys.storedKey(), back.storedKey());
    assertArrayEquals(keys.serverKey(), back.serverKey());
    assertEquals(2048, back.iterations());
    assertTrue(stored.length() <= 256, "fits the column: " + stored.length());
  }

  @Test
  void anEarlierPbkdf2HashIsTheSaltedPasswordAndConvertsToTheSameKeys() {
    byte[] salt = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
    byte[] salted = Scram.saltedPassword("old-password", salt, 2048);
    String legacy =
        "PBKDF2WithHmacSHA256:2048:"
            + Base64.getEncoder().encodeToString(salt)
            + ":"
            + Base64.getEncoder().encodeToString(salted);
    assertTrue(Credentials.legacy(legacy));
    String converted = Credentials.current(legacy);
    assertFalse(Credentials.legacy(converted));
    assertFalse(converted.contains(Base64.getEncoder().encodeToString(salted)));
    assertArrayEquals(
        Scram.keys(salted, salt, 2048).storedKey(),
        Credentials.parse(converted).orElseThrow().storedKey());
  }

  @Test
  void theDirectoryMarkerAndDamagedValuesHaveNoKeys() {
    assertEquals(Optional.empty(), Credentials.parse("directory"));
    assertEquals("directory", Credentials.current("directory"));
    assertEquals(Optional.empty(), Credentials.parse(null));
    assertEquals(Optional.empty(), Credentials.parse("SCRAM-SHA-256:2048:!!:AA==:AA=="));
    assertEquals(Optional.empty(), Credentials.parse("SCRAM-SHA-256:5:AAAA:AAAA:AAAA"));
    assertEquals(Optional.empty(), Credentials.parse("PBKDF2WithHmacSHA256:2048:AAAA:AAAA"));
  }
}
