package org.kabar.server.cluster.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.kabar.server.cluster.control.ActivePeers.Peer;

class ActivePeersTest {

  private final ActivePeers peers = new ActivePeers();
  private final AtomicInteger reads = new AtomicInteger();

  private List<Peer> table() {
    reads.incrementAndGet();
    return List.of(new Peer("10.0.0.2", 5000, "b"));
  }

  @Test
  void readsTheTableOnceWhileTheListIsFresh() {
    for (int i = 0; i < 100; i++) {
      assertEquals(List.of(new Peer("10.0.0.2", 5000, "b")), peers.get(this::table));
    }
    assertEquals(1, reads.get());
  }

  @Test
  void aChangeMadeHereIsSeenAtTheNextUse() {
    peers.get(this::table);
    peers.changed();
    assertEquals(List.of(), peers.get(List::of));
  }

  @Test
  void aListReadWhileTheTableChangedIsNotKept() {
    peers.get(
        () -> {
          peers.changed(); // another thread changed the table during the read
          return List.of(new Peer("10.0.0.9", 5000, "old"));
        });
    assertEquals(List.of(new Peer("10.0.0.2", 5000, "b")), peers.get(this::table));
    assertEquals(1, reads.get());
  }

  @Test
  void aloneOnlyWhileAFreshListNamesNoOtherServer() {
    assertFalse(peers.aloneLately(peer -> true), "nothing read yet: the replication must look");
    peers.get(List::of);
    assertTrue(peers.aloneLately(peer -> true), "no server active");
    peers.changed();
    assertFalse(peers.aloneLately(peer -> true), "a server was added or heard from");
    peers.get(this::table);
    assertFalse(peers.aloneLately(peer -> peer.node().equals("a")), "b is another server");
    assertTrue(peers.aloneLately(peer -> peer.node().equals("b")), "b is this one");
  }
}
