package org.kabar.protocol.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HkdfTest {

  @Test
  void rfc5869TestCase1() {
    HexFormat hex = HexFormat.of();
    byte[] okm =
        Hkdf.derive(
            hex.parseHex("000102030405060708090a0b0c"),
            hex.parseHex("0b".repeat(22)),
            hex.parseHex("f0f1f2f3f4f5f6f7f8f9"),
            42);
    assertEquals(
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
        hex.formatHex(okm));
  }

  @Test
  void rfc5869TestCase3WithoutSaltOrInfo() {
    HexFormat hex = HexFormat.of();
    byte[] okm = Hkdf.derive(new byte[0], hex.parseHex("0b".repeat(22)), new byte[0], 42);
    assertEquals(
        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
        hex.formatHex(okm));
  }
}
