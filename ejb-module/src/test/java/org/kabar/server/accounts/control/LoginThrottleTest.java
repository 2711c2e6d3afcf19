package org.kabar.server.accounts.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
      assertEquals(0, throttle.waitSeconds("10.0.0.1", "user" + i), "attempt " + i);
      throttle.failed("10.0.0.1", "user" + i); // a new name each time: only the address counts
    }
    long wait = throttle.waitSeconds("10.0.0.1", "fresh");
    assertTrue(wait > 0 && wait <= LoginThrottle.ADDRESS_REFILL_MILLIS / 1000, "wait " + wait);
    assertEquals(0, throttle.waitSeconds("10.0.0.2", "fresh"), "another address is not held up");
    now.addAndGet(LoginThrottle.ADDRESS_REFILL_MILLIS);
    assertEquals(0, throttle.waitSeconds("10.0.0.1", "fresh"));
  }

  @Test
  void aNameThatKeepsFailingWaitsLongerEachTimeUpToTheMost() {
    for (int i = 0; i < LoginThrottle.USER_FREE - 1; i++) {
      throttle.failed("10.0.1." + i, "ayu");
      assertEquals(0, throttle.waitSeconds("10.0.2.1", "ayu"));
    }
    throttle.failed("10.0.1.9", "ayu");
    assertEquals(1, throttle.waitSeconds("10.0.2.1", "ayu"), "from any address");
    throttle.failed("10.0.1.10", "ayu");
    assertEquals(2, throttle.waitSeconds("10.0.2.1", "ayu"));
    for (int i = 0; i < 30; i++) {
      throttle.failed("10.0.3." + i, "ayu");
    }
    assertEquals(LoginThrottle.USER_MAX_WAIT.toSeconds(), throttle.waitSeconds("10.0.2.1", "ayu"));
    throttle.succeeded("ayu");
    assertEquals(0, throttle.waitSeconds("10.0.2.1", "ayu"));
  }
}
