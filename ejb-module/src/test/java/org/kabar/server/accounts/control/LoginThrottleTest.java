package org.kabar.server.accounts.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kabar.server.accounts.control.AddressHistory.NONE;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final LoginThrottle throttle = new LoginThrottle();

  {
    throttle.clock = now::get;
  }

  @Test
  void anAddressThatKeepsFailingWaitsAndItsBudgetRefills() {
    for (int i = 0; i < LoginThrottle.ADDRESS_BURST; i++) {
      assertEquals(0, throttle.waitSeconds("10.0.0.1", "user" + i, NONE), "attempt " + i);
      throttle.failed("10.0.0.1", "user" + i); // a new name each time: only the address counts
    }
    long wait = throttle.waitSeconds("10.0.0.1", "fresh", NONE);
    assertTrue(wait > 0 && wait <= LoginThrottle.ADDRESS_REFILL_MILLIS / 1000, "wait " + wait);
    assertEquals(
        0, throttle.waitSeconds("10.0.0.2", "fresh", NONE), "another address is not held up");
    now.addAndGet(LoginThrottle.ADDRESS_REFILL_MILLIS);
    assertEquals(0, throttle.waitSeconds("10.0.0.1", "fresh", NONE));
  }

  @Test
  void aNameThatKeepsFailingWaitsLongerEachTimeUpToTheMost() {
    for (int i = 0; i < LoginThrottle.USER_FREE - 1; i++) {
      throttle.failed("10.0.1." + i, "ayu");
      assertEquals(0, throttle.waitSeconds("10.0.2.1", "ayu", NONE));
    }
    throttle.failed("10.0.1.9", "ayu");
    assertEquals(1, throttle.waitSeconds("10.0.2.1", "ayu", NONE), "from any address");
    throttle.failed("10.0.1.10", "ayu");
    assertEquals(2, throttle.waitSeconds("10.0.2.1", "ayu", NONE));
    for (int i = 0; i < 30; i++) {
      throttle.failed("10.0.3." + i, "ayu");
    }
    assertEquals(
        LoginThrottle.USER_MAX_WAIT.toSeconds(), throttle.waitSeconds("10.0.2.1", "ayu", NONE));
    throttle.succeeded("ayu", "10.0.9.9");
    assertEquals(
        LoginThrottle.USER_MAX_WAIT.toSeconds(),
        throttle.waitSeconds("10.0.2.1", "ayu", NONE),
        "the owner's login elsewhere does not clear failures that may be somebody else's");
    now.addAndGet(LoginThrottle.USER_MAX_WAIT.toMillis());
    assertEquals(0, throttle.waitSeconds("10.0.2.1", "ayu", NONE), "the wait ends");
  }

  @Test
  void theOwnersAddressesAreNotHeldUpByFailuresWithTheirName() {
    throttle.succeeded("ayu", "10.0.5.5"); // logged in here from there before
    for (int i = 0; i < 40; i++) {
      throttle.failed("10.0.6." + i, "ayu");
    }
    assertTrue(throttle.waitSeconds("10.0.6.99", "ayu", NONE) > 0, "a stranger waits");
    assertEquals(0, throttle.waitSeconds("10.0.5.5", "ayu", NONE), "the owner does not");
    AddressHistory sessionsSay =
        (user, address) -> user.equals("ayu") && address.equals("10.0.7.7");
    assertEquals(
        0,
        throttle.waitSeconds("10.0.7.7", "ayu", sessionsSay),
        "nor does an address the account's sessions were at (another server, before a restart)");
    assertTrue(throttle.waitSeconds("10.0.7.8", "ayu", sessionsSay) > 0);
    for (int i = 0; i < LoginThrottle.ADDRESS_BURST; i++) {
      throttle.failed("10.0.5.5", "ayu");
    }
    assertTrue(
        throttle.waitSeconds("10.0.5.5", "ayu", NONE) > 0,
        "the owner's address still has its own budget");
  }

  @Test
  void theSessionsAreAskedOnlyWhenTheNameMustWaitAndTheirAnswerIsReused() {
    AtomicInteger asked = new AtomicInteger();
    AddressHistory counting =
        (user, address) -> {
          asked.incrementAndGet();
          return false;
        };
    assertEquals(0, throttle.waitSeconds("10.0.8.1", "budi", counting));
    assertEquals(0, asked.get(), "no failures: nothing to ask");
    for (int i = 0; i < LoginThrottle.USER_FREE; i++) {
      throttle.failed("10.0.8." + (10 + i), "budi");
    }
    for (int i = 0; i < 20; i++) {
      assertTrue(throttle.waitSeconds("10.0.8.1", "budi", counting) > 0);
    }
    assertEquals(1, asked.get(), "asked once for the name and the address");
  }
}
