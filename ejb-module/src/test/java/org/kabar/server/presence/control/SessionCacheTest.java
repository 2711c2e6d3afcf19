package org.kabar.server.presence.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.kabar.server.node.NodeSettings;
import org.kabar.server.presence.control.SessionCache.Entry;

class SessionCacheTest {

  private static SessionCache cache(boolean embedded) {
    SessionCache cache = new SessionCache();
    cache.settings =
        new NodeSettings() {
          @Override
          public boolean embeddedDatabase() {
            return embedded;
          }
        };
    return cache; // no transaction registry: changes take effect at once only
  }

  private static Entry entry(SessionCache cache) {
    return new Entry(
        7, "alice", new InetSocketAddress("127.0.0.1", 40000), Instant.now(), cache.generation());
  }

  @Test
  void aSessionReadFromTheTableIsFoundByTokenAndByUser() {
    SessionCache cache = cache(true);
    Entry alice = entry(cache);
    cache.remember("hash-a", alice);
    assertEquals(Optional.of(alice), cache.byTokenHash("hash-a"));
    assertEquals(Optional.of(alice), cache.byUsername("alice"));
    assertTrue(cache.byTokenHash("hash-b").isEmpty());
  }

  @Test
  void aChangeForgetsEverySession() {
    SessionCache cache = cache(true);
    cache.remember("hash-a", entry(cache));
    cache.changed(); // logged out, kicked, replaced, taken over...
    assertTrue(cache.byTokenHash("hash-a").isEmpty());
    assertTrue(cache.byUsername("alice").isEmpty());
  }

  @Test
  void aReadThatStartedBeforeAChangeIsNotRemembered() {
    SessionCache cache = cache(true);
    Entry readBefore = entry(cache);
    cache.changed();
    cache.remember("hash-a", readBefore);
    assertTrue(cache.byTokenHash("hash-a").isEmpty());
  }

  @Test
  void nothingIsRememberedWithADatabaseSharedWithOtherServers() {
    SessionCache cache = cache(false);
    cache.remember("hash-a", entry(cache));
    assertTrue(cache.byTokenHash("hash-a").isEmpty());
  }

  @Test
  void aRecentCountOfTheSessionsHereRisesWithLoginsAndIsDroppedAtAChange() {
    SessionCache cache = cache(true);
    assertEquals(-1, cache.sessionsHereAtMost(), "never counted");
    cache.countedHere(40);
    cache.loggedInHere();
    cache.loggedInHere();
    assertEquals(42, cache.sessionsHereAtMost());
    cache.changed(); // a session ended or moved: count again
    assertEquals(-1, cache.sessionsHereAtMost());
  }

  @Test
  void anEndedSessionIsForgottenAloneAndNotRememberedAgainFromARacingRead() {
    SessionCache cache = cache(true);
    Entry alice = entry(cache);
    Entry bob =
        new Entry(
            8, "bob", new InetSocketAddress("127.0.0.1", 40001), Instant.now(), cache.generation());
    cache.remember("hash-a", alice);
    cache.remember("hash-b", bob);

    cache.ended(List.of(alice.sessionId()));

    assertTrue(cache.byTokenHash("hash-a").isEmpty(), "the ended session is forgotten");
    assertTrue(cache.byUsername("alice").isEmpty());
    assertEquals(Optional.of(bob), cache.byTokenHash("hash-b"), "the others stay");
    assertEquals(Optional.of(bob), cache.byUsername("bob"));
    cache.remember("hash-a", alice); // a read from before the expiry, remembered after it
    assertTrue(cache.byTokenHash("hash-a").isEmpty(), "an ended session is not remembered again");
  }
}
