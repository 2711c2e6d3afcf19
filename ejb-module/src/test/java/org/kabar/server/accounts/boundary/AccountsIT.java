package org.kabar.server.accounts.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.Optional;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.server.ArquillianDeployments;
import org.kabar.server.accounts.entity.UserAccount;

/** Accounts against real JPA on Derby, with Jakarta Security's PBKDF2 in Payara Micro. */
@ExtendWith(ArquillianExtension.class)
class AccountsIT {

  @Deployment
  static WebArchive deployment() {
    return ArquillianDeployments.node();
  }

  @Inject Accounts accounts;

  @PersistenceContext EntityManager entityManager;

  @Test
  void aRegisteredUserSignsInWithThePasswordOnly() {
    assertEquals(Optional.empty(), accounts.register("putri", "correct-horse"));
    assertTrue(accounts.verify("putri", "correct-horse"));
    assertFalse(accounts.verify("putri", "Correct-horse"));
    assertFalse(accounts.verify("nobody", "correct-horse"));
  }

  @Test
  void thePasswordIsStoredOnlyAsASaltedHash() {
    accounts.register("rama", "same-password");
    accounts.register("sinta", "same-password");
    String rama = hashOf("rama");
    String sinta = hashOf("sinta");
    assertFalse(rama.contains("same-password"));
    assertTrue(rama.startsWith("PBKDF2WithHmacSHA256:"), rama);
    assertFalse(rama.equals(sinta), "each hash has its own salt");
  }

  @Test
  void aNameIsRegisteredOnce() {
    assertEquals(Optional.empty(), accounts.register("tono", "password-1"));
    assertEquals(Optional.of(ErrorCode.NAME_TAKEN), accounts.register("tono", "password-2"));
    assertTrue(accounts.verify("tono", "password-1"));
  }

  @Test
  void unregisterNeedsThePasswordAndRemovesTheAccount() {
    accounts.register("umar", "password-1");
    assertEquals(
        Optional.of(ErrorCode.WRONG_CREDENTIALS), accounts.unregister("umar", "wrong-pass"));
    assertTrue(accounts.exists("umar"));
    assertEquals(Optional.empty(), accounts.unregister("umar", "password-1"));
    assertFalse(accounts.exists("umar"));
    assertEquals(Optional.empty(), accounts.register("umar", "a-new-start"), "the name is free");
  }

  @Test
  void aDisabledAccountIsRefusedOnlyToWhoeverKnowsItsPassword() {
    accounts.register("vina", "password-1");
    accounts.changeDisabled("vina", true, 5);
    assertEquals(Optional.of(ErrorCode.ACCOUNT_DISABLED), accounts.check("vina", "password-1"));
    assertEquals(Optional.of(ErrorCode.WRONG_CREDENTIALS), accounts.check("vina", "password-2"));
    accounts.changeDisabled("vina", false, 6);
    assertEquals(Optional.empty(), accounts.check("vina", "password-1"));
    accounts.resetPassword("vina", "password-3", 7);
    assertEquals(Optional.of(ErrorCode.WRONG_CREDENTIALS), accounts.check("vina", "password-1"));
    assertEquals(Optional.empty(), accounts.check("vina", "password-3"));
  }

  @Test
  void copiesOfAnAccountMergeNewestFirstInAnyOrder() {
    long base = System.currentTimeMillis();
    Instant created = Instant.ofEpochMilli(base - 86_400_000L);
    assertEquals(Accounts.Merge.NEW, accounts.mergeCopy("wati", "hash-a", created, 0, false));
    assertEquals(
        Accounts.Merge.CHANGED, accounts.mergeCopy("wati", "hash-b", created, base + 20, true));
    // an older copy arriving late changes nothing
    assertEquals(
        Accounts.Merge.SAME, accounts.mergeCopy("wati", "hash-a", created, base + 10, false));
    assertEquals(
        Accounts.Merge.SAME, accounts.mergeCopy("wati", "hash-b", created, base + 20, true));
    UserAccount held = accounts.account("wati").orElseThrow();
    assertEquals("hash-b", held.passwordHash());
    assertTrue(held.disabled());
    assertEquals(base + 20, held.revision());
    // two different states at one revision: every server settles on the same one
    assertEquals(
        Accounts.Merge.SAME, accounts.mergeCopy("wati", "hash-c", created, base + 20, false));
    assertEquals(
        Accounts.Merge.CHANGED, accounts.mergeCopy("wati", "hash-c", created, base + 20, true));
    assertEquals("hash-c", accounts.account("wati").orElseThrow().passwordHash());
    // a catching-up server gets the change, not only new accounts
    assertTrue(
        accounts.changedSince(Instant.ofEpochMilli(base + 15)).stream()
            .anyMatch(u -> u.username().equals("wati")));
  }

  private String hashOf(String username) {
    return entityManager
        .createNamedQuery(UserAccount.BY_USERNAME, UserAccount.class)
        .setParameter("username", username)
        .getSingleResult()
        .passwordHash();
  }
}
