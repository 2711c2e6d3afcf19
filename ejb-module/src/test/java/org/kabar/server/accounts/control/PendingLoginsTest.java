package org.kabar.server.accounts.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kabar.protocol.client.ClientReply.AuthChallenge.Mode;
import org.kabar.server.accounts.control.PendingLogins.Pending;

/** Few login exchanges wait per address and per name, so that nonces cannot be hoarded. */
class PendingLoginsTest {

  private final PendingLogins pending = new PendingLogins();
  private int next;

  private Pending exchange(String user, String address) {
    String nonce = "nonce" + next++;
    return new Pending(
        user,
        "client",
        nonce,
        new InetSocketAddress(address, 40000),
        Mode.DIRECTORY,
        null,
        0,
        null);
  }

  @Test
  void anAddressHoldsFewExchangesTheOldestGivingWay() {
    List<Pending> begun = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      Pending e = exchange("user" + i, "10.0.0.1"); // a new name each time: only the address counts
      assertTrue(pending.begin(e, () -> false));
      begun.add(e);
    }
    int open = 0;
    for (Pending e : begun) {
      if (pending.take(e.nonce()) != null) {
        open++;
      }
    }
    assertEquals(PendingLogins.PER_ADDRESS, open, "only the newest exchanges of the address wait");
    assertTrue(pending.begin(exchange("user0", "10.0.0.1"), () -> false), "taken ones make room");
  }

  @Test
  void aNameTakesFewExchangesFromStrangersButItsOwnerStillGetsOne() {
    for (int i = 0; i < PendingLogins.PER_NAME; i++) {
      assertTrue(pending.begin(exchange("ayu", "10.0.1." + i), () -> false), "stranger " + i);
    }
    assertFalse(
        pending.begin(exchange("ayu", "10.0.1.99"), () -> false),
        "one stranger more is refused while they wait");
    Pending owners = exchange("ayu", "10.0.2.1");
    assertTrue(pending.begin(owners, () -> true), "the owner's address is not counted");
    assertNotNull(pending.take(owners.nonce()), "and the strangers did not push it out");
    assertTrue(pending.begin(exchange("budi", "10.0.1.98"), () -> false), "other names go on");
  }

  @Test
  void aStrangerStartingAgainTakesItsOwnPlaceForTheName() {
    List<Pending> mine = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Pending e = exchange("dewi", "10.0.4.1");
      assertTrue(pending.begin(e, () -> false), "attempt " + i + " from one address");
      mine.add(e);
    }
    assertFalse(pending.begin(exchange("dewi", "10.0.4.2"), () -> false), "the name is full");
    long open = mine.stream().filter(e -> pending.take(e.nonce()) != null).count();
    assertEquals(PendingLogins.PER_NAME, open, "the newest of the address wait");
  }

  @Test
  void anExchangeIsTakenOnce() {
    Pending e = exchange("citra", "10.0.3.1");
    assertTrue(pending.begin(e, () -> false));
    assertNotNull(pending.take(e.nonce()));
    assertNull(pending.take(e.nonce()));
  }
}
