package org.kabar.protocol.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PeerTextTest {

  @Test
  void controlCharactersAreWrittenOutNotKept() {
    assertEquals(
        "'1\\nFORGED\\r\\t\\u0000\\u001b[31m'", PeerText.quote("1\nFORGED\r\t\0\u001b[31m"));
    assertEquals("a\\\\nb", PeerText.printable("a\\nb", 100), "a backslash cannot fake an escape");
    assertEquals("\\u2028\\u202e\\u0085", PeerText.printable("\u2028\u202e\u0085", 100));
    assertEquals("halo, apa kabar? 🙂", PeerText.printable("halo, apa kabar? 🙂", 100));
  }

  @Test
  void aMessageKeepsTheBackslashesOfItsQuotes() {
    String quoted = "id is not a number: " + PeerText.quote("1\nFORGED");
    assertEquals("id is not a number: '1\\nFORGED'", PeerText.message(quoted));
    assertEquals("a\\nb", PeerText.message("a\nb"), "a raw newline is still escaped");
  }

  @Test
  void longTextIsCutShort() {
    String quoted = PeerText.quote("7".repeat(65_000));
    assertEquals("'" + "7".repeat(PeerText.QUOTE_CHARS) + "...'", quoted);
    String escapes = PeerText.printable("\n".repeat(1000), 20);
    assertEquals("\\n".repeat(10) + "...", escapes, "escapes count against the limit");
  }

  @Test
  void aCutNeverSplitsACharacter() {
    String cut = PeerText.printable("x" + "🙂".repeat(10), 4);
    assertEquals("x🙂...", cut);
  }
}
