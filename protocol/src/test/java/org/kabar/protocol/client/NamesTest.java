package org.kabar.protocol.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The written-out checks of {@link Names} against the grammar as regular expressions (the
 * documented rules, docs/PROTOCOL.md): the same verdict on edge cases and on random texts.
 */
class NamesTest {

  private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,31}");
  private static final Pattern CHANNEL = Pattern.compile("#[a-z0-9][a-z0-9_.-]{0,31}");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{22}");
  private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{16,64}");
  private static final Pattern COMBINED_NONCE = Pattern.compile("[A-Za-z0-9_-]{32,128}");
  private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{16}");
  private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]+={0,2}");

  @Test
  void namesFollowTheGrammar() {
    assertEquals("ayu", Names.username("Ayu"));
    assertEquals("a", Names.username("a"));
    assertEquals("9.b_c-d", Names.username("9.b_c-d"));
    assertEquals("x".repeat(32), Names.username("x".repeat(32)));
    assertNull(Names.username("x".repeat(33)), "too long");
    assertNull(Names.username(""), "empty");
    assertNull(Names.username("_ayu"), "starts with a sign");
    assertNull(Names.username("ayu budi"), "a space");
    assertNull(Names.username("ayü"), "not ASCII");
    assertEquals("#kelas", Names.channel("#Kelas"));
    assertNull(Names.channel("#"), "no name");
    assertNull(Names.channel("kelas"), "no #");
    assertNull(Names.channel("#" + "x".repeat(33)), "too long");
  }

  @Test
  void tokensNoncesAndBase64FollowTheGrammar() {
    assertTrue(Names.token("f5xftR3EeFE2RdY_qrYqTg"));
    assertFalse(Names.token("f5xftR3EeFE2RdY_qrYqT"), "21 characters");
    assertFalse(Names.token("f5xftR3EeFE2RdY+qrYqTg"), "not base64url");
    assertTrue(Names.challenge("abcdefghijklmnop"));
    assertTrue(Names.clientNonce("rOprNGfwEbeRWgbNEkqO2w"));
    assertFalse(Names.clientNonce("short"));
    assertTrue(Names.base64("hGakyBsnrLXzGQp2jbk9ACDh7pP6xzB0+SNH3pOWHA8=", 64));
    assertTrue(Names.base64("ab==", 4));
    assertFalse(Names.base64("a===", 4), "three padding characters");
    assertFalse(Names.base64("====", 4), "padding only");
    assertFalse(Names.base64("a=bc", 4), "padding inside");
    assertFalse(Names.base64("abcd", 3), "longer than allowed");
    assertFalse(Names.base64("abc", 8), "not a multiple of four");
    assertFalse(Names.base64("", 8), "empty");
  }

  @Test
  void randomTextsGetTheVerdictOfTheGrammar() {
    Random random = new Random(20261204);
    String alphabet = "abzAZ09_-.+/=# ü\u0130";
    for (String text : randomTexts(random, alphabet, 200_000)) {
      String lower = text.toLowerCase(Locale.ROOT);
      assertEquals(
          USERNAME.matcher(lower).matches() ? lower : null, Names.username(text), "user " + text);
      assertEquals(
          CHANNEL.matcher(lower).matches() ? lower : null, Names.channel(text), "channel " + text);
      assertEquals(TOKEN.matcher(text).matches(), Names.token(text), "token " + text);
      assertEquals(NONCE.matcher(text).matches(), Names.clientNonce(text), "nonce " + text);
      assertEquals(COMBINED_NONCE.matcher(text).matches(), Names.nonce(text), "nonces " + text);
      assertEquals(CHALLENGE.matcher(text).matches(), Names.challenge(text), "check " + text);
      boolean base64 = text.length() <= 44 && text.length() % 4 == 0;
      assertEquals(
          base64 && BASE64.matcher(text).matches(), Names.base64(text, 44), "base64 " + text);
    }
  }

  /** Texts of every length up to 130, mostly of the characters the rules are about. */
  private static List<String> randomTexts(Random random, String alphabet, int count) {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int length = random.nextInt(4) == 0 ? random.nextInt(131) : random.nextInt(35);
      StringBuilder text = new StringBuilder(length);
      // a valid prefix most of the time, so that the rules' later parts are reached
      boolean base = random.nextBoolean();
      for (int c = 0; c < length; c++) {
        boolean odd = random.nextInt(base ? 40 : 8) == 0;
        text.append(
            odd
                ? alphabet.charAt(random.nextInt(alphabet.length()))
                : "abcxyz019_-".charAt(random.nextInt(11)));
      }
      if (random.nextInt(10) == 0 && length > 2) {
        text.setCharAt(length - 1, '=');
        if (random.nextBoolean()) {
          text.setCharAt(length - 2, '=');
        }
      }
      texts.add(text.toString());
    }
    return texts;
  }
}
