package org.kabar.server.gateway.control;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateLimitsTest {

  private static RateLimits limits() {
    RateLimits limits = new RateLimits();
    limits.addressRate = 20;
    limits.sessionRate = 200;
    limits.lookupRate = 5;
    return limits;
  }

  @Test
  void lookupsThatFindSessionsCostNothingFailedOnesUseUpTheAddressBudget() {
    RateLimits limits = limits();
    for (int i = 0; i < 1_000; i++) {
      assertTrue(limits.allowLookup("10.0.0.1"), "clients behind one address, found: " + i);
    }
    for (int i = 0; i < 10; i++) {
      assertTrue(limits.allowLookup("10.0.0.2"));
      limits.lookupFailed("10.0.0.2");
    }
    assertFalse(limits.allowLookup("10.0.0.2"), "a burst of 10 unknown tokens, then 5 a second");
    assertTrue(limits.allowLookup("10.0.0.1"), "another address keeps its budget");
  }

  @Test
  void aBusyBucketSurvivesAFloodOfNewAddresses() {
    RateLimits limits = limits();
    limits.nanos = () -> 0L; // no refill however long the flood takes: only a reset would help
    for (int i = 0; i < 10; i++) {
      limits.lookupFailed("10.0.0.3");
    }
    for (int i = 0; i < 300_000; i++) {
      limits.lookupFailed("10.1." + (i >> 8 & 0xff) + "." + (i & 0xff) + "-" + (i >> 16));
      if (i % 1_000 == 0) {
        limits.lookupFailed("10.0.0.3"); // still trying, so still in use
      }
    }
    assertFalse(limits.allowLookup("10.0.0.3"), "not reset by many new addresses");
  }
}
