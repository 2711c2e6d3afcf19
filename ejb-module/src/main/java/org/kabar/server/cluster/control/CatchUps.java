package org.kabar.server.cluster.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * Which peers this server has caught up with since it started, and one lock per peer for recording
 * that a peer was heard from.
 *
 * <p>A server that starts again must catch up with every peer it hears from, even if its list still
 * says the peer is active: marking the list inactive at start races with the first frames, which
 * arrive while the application is still deploying. A peer's PONG and ANNOUNCE often arrive together
 * on two threads; recorded at once they made each other's update of the same ServerList row fail,
 * and with it the catch-up they should have started. So a peer's sign of life is recorded under its
 * own lock, and the catch-up is owed once per start (and again after one that could not be sent).
 */
@ApplicationScoped
public class CatchUps {

  private final Set<String> caughtUp = ConcurrentHashMap.newKeySet();

  private final ConcurrentMap<String, Instant> retryFrom = new ConcurrentHashMap<>();

  private final ConcurrentMap<String, Object> locks = new ConcurrentHashMap<>();

  /** Runs the recording of a peer's sign of life while no other one of the same peer runs here. */
  public <T> T heardFrom(String host, int port, Supplier<T> record) {
    synchronized (locks.computeIfAbsent(key(host, port), k -> new Object())) {
      return record.get();
    }
  }

  /** True once per start (or per failed catch-up) for each peer: this server owes it a catch-up. */
  public boolean owed(String host, int port) {
    return caughtUp.add(key(host, port));
  }

  /**
   * The time a catch-up starts from: when the peer was last heard from, or, if a catch-up from an
   * earlier time could not be sent, that earlier time.
   */
  public Instant since(String host, int port, Instant lastHeard) {
    Instant earlier = retryFrom.remove(key(host, port));
    return earlier != null && earlier.isBefore(lastHeard) ? earlier : lastHeard;
  }

  /** A catch-up could not be sent: the next sign of life from the peer starts it again. */
  public void failed(String host, int port, Instant from) {
    retryFrom.merge(key(host, port), from, (a, b) -> a.isBefore(b) ? a : b);
    caughtUp.remove(key(host, port));
  }

  private static String key(String host, int port) {
    return host + ":" + port;
  }
}
