package org.kabar.server.cluster.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kabar.protocol.auth.Scram;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.server.ArquillianDeployments;
import org.kabar.server.accounts.boundary.Accounts;
import org.kabar.server.cluster.entity.NameGrant;

/**
 * The grants of names on real Derby: one claim per name at a time, also when two ask at the same
 * instant; a grant is on disk when it is answered; a registration closes its own claim in the
 * transaction that makes the account, and a claim given up registers nothing.
 */
@ExtendWith(ArquillianExtension.class)
class NameGrantsIT {

  private static final String RUN = Long.toString(System.nanoTime() % 1_000_000, 36);

  @Deployment
  static WebArchive deployment() {
    return ArquillianDeployments.node();
  }

  @Inject NameGrants grants;

  @Inject Accounts accounts;

  @Test
  void aNameIsGrantedToOneClaimAtATime() {
    String name = "grant-one-" + RUN;
    assertTrue(grants.grant(name, "c1", "node-a"));
    assertTrue(grants.grant(name, "c1", "node-a"), "the same claim asking again: still granted");
    assertFalse(grants.grant(name, "c2", "node-b"), "another claim while the first holds it");
    assertTrue(held(name, "c1", "node-a"), "the grant is in the table, committed");
    assertFalse(grants.withdraw(name, "c2"), "giving up a claim that holds nothing");
    assertFalse(grants.grant(name, "c2", "node-b"), "and it did not free the name");
    assertTrue(grants.withdraw(name, "c1"));
    assertTrue(grants.grant(name, "c2", "node-b"), "free once the first claim was given up");
    grants.forget(name);
    assertFalse(held(name, "c2", "node-b"), "forgotten once the account is here");
  }

  @Test
  void twoClaimsAtTheSameInstantGetOneGrant() throws Exception {
    ExecutorService two = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 20; round++) {
        String name = "grant-race-" + round + "-" + RUN;
        String first = "a" + round;
        String second = "b" + round;
        List<Callable<Boolean>> claims =
            List.of(() -> tryGrant(name, first), () -> tryGrant(name, second));
        int granted = 0;
        for (Future<Boolean> answer : two.invokeAll(claims)) {
          granted += answer.get() ? 1 : 0;
        }
        assertEquals(1, granted, name);
      }
    } finally {
      two.shutdownNow();
    }
  }

  @Test
  void aRegistrationClosesItsOwnClaimAndAGivenUpClaimRegistersNothing() {
    Scram.Keys keys = Scram.keysFor("password-1", Scram.MIN_ITERATIONS);
    String won = "grant-won-" + RUN;
    assertTrue(grants.grant(won, "w1", "self"));
    assertEquals(
        Optional.empty(), grants.registerUnder(won, "w1", () -> accounts.register(won, keys)));
    assertTrue(accounts.exists(won));
    assertFalse(held(won, "w1", "self"), "the claim closed with the registration");

    String givenUp = "grant-gone-" + RUN;
    assertTrue(grants.grant(givenUp, "g1", "self"));
    assertTrue(grants.withdraw(givenUp, "g1")); // a peer asked how it ended: given up
    assertEquals(
        Optional.of(ErrorCode.SERVER_ERROR),
        grants.registerUnder(givenUp, "g1", () -> accounts.register(givenUp, keys)));
    assertFalse(accounts.exists(givenUp), "a claim given up registers nothing");

    String refused = "grant-refused-" + RUN;
    assertTrue(grants.grant(refused, "r1", "self"));
    NameGrants.NotRegistered why =
        org.junit.jupiter.api.Assertions.assertThrows(
            NameGrants.NotRegistered.class,
            () ->
                grants.registerUnder(
                    refused, "r1", () -> Optional.of(ErrorCode.DIRECTORY_UNAVAILABLE)));
    assertEquals(ErrorCode.DIRECTORY_UNAVAILABLE, why.code());
    assertTrue(held(refused, "r1", "self"), "an account not made leaves the claim as it was");
    assertTrue(grants.withdraw(refused, "r1"));
  }

  private boolean tryGrant(String name, String claimId) {
    try {
      return grants.grant(name, claimId, "node-" + claimId);
    } catch (jakarta.ejb.EJBException twoAtOnce) {
      return false;
    }
  }

  private boolean held(String name, String claimId, String claimant) {
    return grants.grantedBefore(Instant.now().plusSeconds(1)).stream()
        .anyMatch(
            (NameGrant g) ->
                g.name().equals(name)
                    && g.claimId().equals(claimId)
                    && g.claimant().equals(claimant));
  }
}
