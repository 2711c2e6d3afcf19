package org.kabar.server.gateway.control;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.kabar.protocol.client.Names;

class AddressChecksTest {

  private static final InetSocketAddress NEW = new InetSocketAddress("127.0.0.7", 40000);
  private static final InetSocketAddress VICTIM = new InetSocketAddress("127.0.0.8", 40000);

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final AddressChecks checks = new AddressChecks();

  {
    checks.clock = now::get;
  }

  @Test
  void onlyTheAddressTheChallengeWentToPassesWithIt() {
    String challenge = checks.challenge(1, NEW);
    assertTrue(Names.challenge(challenge), challenge);
    assertFalse(checks.passes(1, VICTIM, challenge), "from elsewhere");
    assertFalse(checks.passes(1, NEW, "AAAAAAAAAAAAAAAA"), "a guess");
    assertFalse(checks.passes(2, NEW, challenge), "for another session");
    assertTrue(checks.passes(1, NEW, challenge));
    assertFalse(checks.passes(1, NEW, challenge), "used up");
  }

  @Test
  void atMostOneChallengeASecondPerSession() {
    assertNotNull(checks.challenge(1, NEW));
    assertNull(checks.challenge(1, NEW));
    assertNull(checks.challenge(1, VICTIM));
    now.addAndGet(AddressChecks.EVERY_MILLIS);
    String later = checks.challenge(1, VICTIM);
    assertNotNull(later);
    assertTrue(checks.passes(1, VICTIM, later));
  }
}
