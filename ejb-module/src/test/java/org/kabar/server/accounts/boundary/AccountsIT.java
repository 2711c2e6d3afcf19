package org.kabar.server.accounts.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
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

  private String hashOf(String username) {
    return entityManager
        .createNamedQuery(UserAccount.BY_USERNAME, UserAccount.class)
        .setParameter("username", username)
        .getSingleResult()
        .passwordHash();
  }
}
