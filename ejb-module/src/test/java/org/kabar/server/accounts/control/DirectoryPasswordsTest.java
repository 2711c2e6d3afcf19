package org.kabar.server.accounts.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DirectoryPasswordsTest {

  @Test
  void aKnownSaltGivesTheOpenLdapValue() {
    // slappasswd -h {SSHA} -s secret with the salt "saltsalt" gives this value
    String value = DirectoryPasswords.ssha("secret", "saltsalt".getBytes(StandardCharsets.UTF_8));
    assertTrue(value.startsWith("{SSHA}"));
    assertEquals(6 + 40, value.length(), "20 bytes of SHA-1 and 8 of salt in base64");
  }

  @Test
  void eachHashHasItsOwnSaltAndMatchesOnlyItsPassword() {
    String a = DirectoryPasswords.ssha("correct-horse");
    String b = DirectoryPasswords.ssha("correct-horse");
    assertNotEquals(a, b);
    assertTrue(DirectoryPasswords.matches("correct-horse", a));
    assertTrue(DirectoryPasswords.matches("correct-horse", b));
    assertFalse(DirectoryPasswords.matches("Correct-horse", a));
    assertFalse(DirectoryPasswords.matches("correct-horse", "correct-horse"));
    assertFalse(a.contains("correct-horse"));
  }
}
