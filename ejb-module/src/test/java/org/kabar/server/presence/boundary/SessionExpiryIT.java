package org.kabar.server.presence.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kabar.protocol.auth.Scram;
import org.kabar.server.ArquillianDeployments;
import org.kabar.server.accounts.boundary.Accounts;

/**
 * The expiry's statements against real JPA on Derby, as {@link SessionExpiry} runs them: last-seen
 * times written a chunk to a transaction keep their sessions, and silent sessions end a chunk at a
 * time, each once, until none is left.
 */
@ExtendWith(ArquillianExtension.class)
class SessionExpiryIT {

  @Deployment
  static WebArchive deployment() {
    return ArquillianDeployments.node();
  }

  @Inject Sessions sessions;

  @Inject Accounts accounts;

  @Test
  void silentSessionsEndAChunkAtATimeEachOnceAndTheOnesHeardFromStay() {
    Scram.Keys keys = Scram.keysFor("password-1", Scram.MIN_ITERATIONS);
    List<Caller> callers = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String user = "expiry-" + i;
      accounts.register(user, keys);
      callers.add(sessions.login(user, new InetSocketAddress("127.0.0.9", 42000 + i)).caller());
    }
    Instant later = Instant.now().plus(Duration.ofHours(1));
    List<Map.Entry<Long, Instant>> heard =
        callers.subList(0, 3).stream().map(c -> Map.entry(c.sessionId(), later)).toList();
    assertEquals(3, sessions.writeSeen(heard));

    // silent: not heard from since half an hour from now, so all but the three heard from
    Duration timeout = Duration.ofMinutes(-30);
    Set<Long> ended = new HashSet<>();
    int chunks = 0;
    List<Caller> chunk;
    do {
      chunk = sessions.expireSilent(timeout, 4);
      assertTrue(chunk.size() <= 4, "a chunk holds at most what was asked: " + chunk.size());
      for (Caller caller : chunk) {
        assertTrue(ended.add(caller.sessionId()), "ended twice: " + caller);
      }
      chunks++;
    } while (chunk.size() == 4 && chunks < 100);
    assertTrue(chunks >= 2, "seven silent sessions take two chunks of four");
    for (Caller silent : callers.subList(3, 10)) {
      assertTrue(ended.contains(silent.sessionId()), silent + " expired");
      assertTrue(sessions.sessionHere(silent.username()).isEmpty(), silent + " is offline");
    }
    for (Caller kept : callers.subList(0, 3)) {
      assertFalse(ended.contains(kept.sessionId()), kept + " was heard from");
      assertTrue(sessions.sessionHere(kept.username()).isPresent(), kept + " is still online");
    }
    assertTrue(sessions.expireSilent(timeout, 4).isEmpty(), "nothing silent is left");
  }
}
