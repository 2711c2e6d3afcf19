package org.kabar.server.admin.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.kabar.server.admin.control.SignInThrottle.Refusal;

class SignInThrottleTest {

  // a negative start, as System.nanoTime may give
  private final AtomicLong now = new AtomicLong(-5_000_000_000_000L);
  private final SignInThrottle throttle = new SignInThrottle(now::get);

  private void pass(long seconds) {
    now.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
  }

  private void fail(String address, String name, int times) {
    for (int i = 0; i < times; i++) {
      assertTrue(throttle.check(address, name).isEmpty(), "attempt " + (i + 1) + " is checked");
      throttle.failed(address, name);
    }
  }

  @Test
  void anAddressWaitsAfterItsFreeFailuresAndLongerAfterEachMore() {
    fail("10.0.0.1", "root", SignInThrottle.ADDRESS_FREE);
    Refusal refusal = throttle.check("10.0.0.1", "root").orElseThrow();
    assertEquals(SignInThrottle.FIRST_WAIT_SECONDS, refusal.waitSeconds());
    assertEquals("address 10.0.0.1", refusal.what());
    assertTrue(refusal.first());
    assertFalse(throttle.check("10.0.0.1", "ops").orElseThrow().first(), "reported once a wait");
    assertTrue(throttle.check("10.0.0.1", "ops").isPresent(), "every name from that address");

    pass(SignInThrottle.FIRST_WAIT_SECONDS);
    fail("10.0.0.1", "root", 1);
    Refusal longer = throttle.check("10.0.0.1", "root").orElseThrow();
    assertEquals(2 * SignInThrottle.FIRST_WAIT_SECONDS, longer.waitSeconds());
    assertTrue(longer.first(), "a new wait is reported again");
  }

  @Test
  void attemptsWhileWaitingDoNotLengthenTheWait() {
    fail("10.0.0.1", "root", SignInThrottle.ADDRESS_FREE);
    for (int i = 0; i < 1000; i++) {
      throttle.check("10.0.0.1", "root");
    }
    pass(SignInThrottle.FIRST_WAIT_SECONDS);
    assertTrue(throttle.check("10.0.0.1", "root").isEmpty(), "after the wait, a check again");
  }

  @Test
  void theWaitStopsGrowingAtTheLongest() {
    fail("10.0.0.1", "root", SignInThrottle.ADDRESS_FREE);
    for (int i = 0; i < 40; i++) {
      pass(SignInThrottle.LONGEST_WAIT_SECONDS);
      fail("10.0.0.1", "root", 1);
    }
    assertEquals(
        SignInThrottle.LONGEST_WAIT_SECONDS,
        throttle.check("10.0.0.1", "root").orElseThrow().waitSeconds());
  }

  @Test
  void anotherAddressStillSignsInUntilTheNameItselfIsGuessedTooOften() {
    fail("10.0.0.1", "root", SignInThrottle.ADDRESS_FREE);
    assertTrue(throttle.check("10.0.0.2", "root").isEmpty(), "one address's guesses stay its own");

    int more = SignInThrottle.NAME_FREE - SignInThrottle.ADDRESS_FREE;
    for (int i = 0; i < more; i++) {
      fail("10.0.1." + i, "ROOT", 1); // a directory may match names in any case
    }
    Optional<Refusal> byName = throttle.check("10.0.0.2", "root");
    assertEquals("name root", byName.orElseThrow().what(), "guessed from many addresses");
  }

  @Test
  void aRightPasswordClearsItsAddressAndItsName() {
    fail("10.0.0.1", "root", SignInThrottle.ADDRESS_FREE - 1);
    throttle.succeeded("10.0.0.1", "root");
    fail("10.0.0.1", "root", SignInThrottle.ADDRESS_FREE - 1);
    assertTrue(throttle.check("10.0.0.1", "root").isEmpty());
  }

  @Test
  void failuresLongAgoAreForgotten() {
    fail("10.0.0.1", "root", SignInThrottle.ADDRESS_FREE - 1);
    pass(SignInThrottle.FORGET_SECONDS + 1);
    fail("10.0.0.1", "root", SignInThrottle.ADDRESS_FREE - 1);
    assertTrue(throttle.check("10.0.0.1", "root").isEmpty());
  }

  @Test
  void aFloodOfAddressesIsBoundedAndKeepsTheNameItGuesses() {
    for (int i = 0; i < SignInThrottle.MAX_TRACKED * 2; i++) {
      throttle.failed("10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255), "root");
    }
    assertTrue(throttle.check("10.9.9.9", "root").isPresent(), "the name guessed stays followed");
  }
}
