package org.kabar.adapter.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class HandshakeSlotsTest {

  private final HandshakeSlots slots = new HandshakeSlots(3, 2);

  @Test
  void oneAddressGetsItsShareOnly() throws Exception {
    assertTrue(slots.admit(from("10.0.0.1")).admitted());
    assertTrue(slots.admit(from("10.0.0.1")).admitted());
    assertFalse(slots.admit(from("10.0.0.1")).admitted());
    assertTrue(slots.admit(from("10.0.0.2")).admitted(), "another address still gets in");
  }

  @Test
  void whenAllAreTakenTheOldestGivesWay() throws Exception {
    PendingHandshake oldest = from("10.0.0.1");
    slots.admit(oldest);
    slots.admit(from("10.0.0.2"));
    slots.admit(from("10.0.0.3"));
    HandshakeSlots.Admission newcomer = slots.admit(from("10.0.0.4"));
    assertTrue(newcomer.admitted());
    assertSame(oldest, newcomer.displaced());
    assertEquals(3, slots.size());
    assertTrue(slots.admit(from("10.0.0.1")).admitted(), "the displaced one's share is free");
  }

  @Test
  void aReleasedSlotIsFreeAgain() throws Exception {
    PendingHandshake first = from("10.0.0.1");
    slots.admit(first);
    slots.admit(from("10.0.0.1"));
    slots.release(first);
    slots.release(first); // twice: no harm
    HandshakeSlots.Admission again = slots.admit(from("10.0.0.1"));
    assertTrue(again.admitted());
    assertNull(again.displaced());
    assertEquals(2, slots.size());
  }

  /** A handshake from an address; the socket is never connected, only its address is read. */
  private static PendingHandshake from(String address) throws Exception {
    InetAddress remote = InetAddress.getByName(address);
    Socket socket =
        new Socket() {
          @Override
          public InetAddress getInetAddress() {
            return remote;
          }
        };
    return new PendingHandshake(socket, 5_000);
  }
}
