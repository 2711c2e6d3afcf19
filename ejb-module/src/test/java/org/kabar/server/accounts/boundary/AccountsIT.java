package org.kabar.server.accounts.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;
import jakarta.transaction.UserTransaction;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kabar.protocol.auth.Scram;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.server.ArquillianDeployments;
import org.kabar.server.accounts.entity.UserAccount;

/**
 * Accounts against real JPA on Derby: SCRAM keys stored, and an earlier version's hashes (Jakarta
 * Security's PBKDF2 in Payara Micro) converted to keys the same password proves.
 */
@ExtendWith(ArquillianExtension.class)
class AccountsIT {

  @Deployment
  static WebArchive deployment() {
    return ArquillianDeployments.node();
  }

  @Inject Accounts accounts;

  @Inject Pbkdf2PasswordHash pbkdf2;

  @PersistenceContext EntityManager entityManager;

  @Resource UserTransaction transaction;

  private static Scram.Keys keysOf(String password) {
    return Scram.keysFor(password, Scram.MIN_ITERATIONS);
  }

  /** Whether a client knowing this password proves it against the account's stored keys. */
  private boolean proves(String username, String password) {
    Optional<Scram.Keys> stored = accounts.credentials(username);
    if (stored.isEmpty()) {
      return false;
    }
    Scram.Keys keys = stored.get();
    String message =
        Scram.authMessage(
            username, "client", "client-server", Scram.base64(keys.salt()), keys.iterations());
    Scram.ClientKeys client =
        Scram.clientKeys(Scram.saltedPassword(password, keys.salt(), keys.iterations()));
    return Scram.verify(keys.storedKey(), message, Scram.clientProof(client, message));
  }

  @Test
  void aRegisteredUserProvesThePasswordWithTheKeysItsClientMade() {
    assertEquals(Optional.empty(), accounts.register("putri", keysOf("correct-horse")));
    assertTrue(proves("putri", "correct-horse"));
    assertFalse(proves("putri", "Correct-horse"));
    assertFalse(proves("nobody", "correct-horse"));
  }

  @Test
  void onlyTheKeysAreStoredNeverThePasswordNorTheSaltedPassword() {
    accounts.register("rama", keysOf("same-password"));
    accounts.register("sinta", keysOf("same-password"));
    String rama = hashOf("rama");
    assertFalse(rama.contains("same-password"));
    assertTrue(rama.startsWith("SCRAM-SHA-256:1024:"), rama);
    assertFalse(rama.equals(hashOf("sinta")), "each account has its own salt");
  }

  @Test
  void aNameIsRegisteredOnce() {
    assertEquals(Optional.empty(), accounts.register("tono", keysOf("password-1")));
    assertEquals(
        Optional.of(ErrorCode.NAME_TAKEN), accounts.register("tono", keysOf("password-2")));
    assertTrue(proves("tono", "password-1"));
  }

  @Test
  void aRemovedAccountFreesTheName() {
    accounts.register("umar", keysOf("password-1"));
    accounts.remove("umar");
    assertFalse(accounts.exists("umar"));
    assertEquals(Optional.empty(), accounts.register("umar", keysOf("a-new-start")));
  }

  @Test
  void aDisabledAccountIsToldAsSuchAndAResetGivesNewKeys() {
    accounts.register("vina", keysOf("password-1"));
    accounts.changeDisabled("vina", true, 5);
    assertEquals(Optional.of(ErrorCode.ACCOUNT_DISABLED), accounts.enabled("vina"));
    accounts.changeDisabled("vina", false, 6);
    assertEquals(Optional.empty(), accounts.enabled("vina"));
    accounts.resetPassword("vina", "password-3", 7);
    assertFalse(proves("vina", "password-1"));
    assertTrue(proves("vina", "password-3"));
    assertEquals(Optional.of(ErrorCode.WRONG_CREDENTIALS), accounts.enabled("nobody"));
  }

  @Test
  void anEarlierVersionsPbkdf2HashBecomesKeysThatTheSamePasswordProves() throws Exception {
    pbkdf2.initialize(
        Map.of(
            "Pbkdf2PasswordHash.Iterations", "2048",
            "Pbkdf2PasswordHash.Algorithm", "PBKDF2WithHmacSHA256",
            "Pbkdf2PasswordHash.SaltSizeBytes", "32",
            "Pbkdf2PasswordHash.KeySizeBytes", "32"));
    String legacy = pbkdf2.generate("old-password".toCharArray());
    transaction.begin();
    entityManager.persist(new UserAccount("lama", legacy, Instant.now()));
    transaction.commit();
    assertTrue(proves("lama", "old-password"), "the old hash works before the conversion");
    assertTrue(accounts.convertLegacyCredentials() >= 1);
    String converted = hashOf("lama");
    assertTrue(converted.startsWith("SCRAM-SHA-256:2048:"), converted);
    assertFalse(converted.contains(legacy.split(":")[3]), "the salted password is gone");
    assertTrue(proves("lama", "old-password"));
    assertFalse(proves("lama", "other-password"));
    // a copy from a server of the earlier version converts on arrival, and is the same account
    assertEquals(
        Accounts.Merge.SAME,
        accounts.mergeCopy(
            "lama",
            legacy,
            accounts.account("lama").orElseThrow().createdAt(),
            accounts.account("lama").orElseThrow().revision(),
            false));
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

  @Test
  void twoAccountsOfOneNameSettleOnTheSameNamesWhicheverArrivesFirst() {
    long earlier = System.currentTimeMillis() - 86_400_000L;
    long later = earlier + 5_000;
    // server x made the later account and hears of the earlier one
    String x = "dua";
    assertEquals(
        Accounts.Merge.NEW,
        accounts.mergeCopy(x, "hash-later", Instant.ofEpochMilli(later), 0, false));
    assertEquals(
        Accounts.Merge.RENAMED_HERE,
        accounts.mergeCopy(x, "hash-earlier", Instant.ofEpochMilli(earlier), 0, false));
    // server y made the earlier account and hears of the later one
    String y = "tiga";
    assertEquals(
        Accounts.Merge.NEW,
        accounts.mergeCopy(y, "hash-earlier", Instant.ofEpochMilli(earlier), 0, false));
    assertEquals(
        Accounts.Merge.KEPT_APART,
        accounts.mergeCopy(y, "hash-later", Instant.ofEpochMilli(later), 0, false));
    for (String name : List.of(x, y)) {
      String renamed = Accounts.conflictName(name, later);
      assertEquals(name + "-", renamed.substring(0, name.length() + 1), renamed);
      assertEquals("hash-earlier", hashOf(name), "the account made first keeps " + name);
      assertEquals("hash-later", hashOf(renamed), "the other keeps its password as " + renamed);
      UserAccount kept = accounts.account(renamed).orElseThrow();
      assertEquals(name, kept.conflictOf(), "listed for the console");
      // copies arriving again, under either name, change nothing
      assertEquals(
          Accounts.Merge.SAME,
          accounts.mergeCopy(name, "hash-later", Instant.ofEpochMilli(later), 0, false));
      assertEquals(
          Accounts.Merge.SAME,
          accounts.mergeCopy(renamed, "hash-later", Instant.ofEpochMilli(later), 0, false));
      assertEquals(
          Accounts.Merge.SAME,
          accounts.mergeCopy(name, "hash-earlier", Instant.ofEpochMilli(earlier), 0, false));
      assertTrue(
          accounts.conflicts().stream().anyMatch(u -> u.username().equals(renamed)), renamed);
      assertTrue(accounts.settleConflict(renamed));
      assertTrue(accounts.conflicts().stream().noneMatch(u -> u.username().equals(renamed)));
    }
    assertEquals(
        32,
        Accounts.conflictName("a-name-of-thirty-two-characters", later).length(),
        "a long name is cut to fit");
  }

  private String hashOf(String username) {
    return entityManager
        .createNamedQuery(UserAccount.BY_USERNAME, UserAccount.class)
        .setParameter("username", username)
        .getSingleResult()
        .passwordHash();
  }
}
