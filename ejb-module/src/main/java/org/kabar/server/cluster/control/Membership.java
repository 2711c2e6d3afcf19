package org.kabar.server.cluster.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.kabar.adapter.api.PeerLiveness;

/**
 * Who is alive, as the heartbeats say, and what changed since the last look: a pure record of
 * states, kept per listed server (by its address), so that the periodic check acts on transitions
 * only and writes the server list only when a state changes.
 *
 * <p>A server is alive while its beats arrive, suspected after {@link #SUSPECT_AFTER_MILLIS}
 * without one, and dead after the bound given (5 s by default) or at once when its port refuses a
 * connection and its beats have stopped: nothing listens there. A server never heard from since
 * this one started is unknown, not dead: it may not have started yet. A wrongly suspected server
 * refutes the suspicion with its next beat. The incarnation in its beats tells a restart apart from
 * a pause: a new one is a new member, announced to and caught up with again.
 */
@ApplicationScoped
public class Membership {

  /** Beats missed before a server is suspected (shown to operators; nothing is done yet). */
  public static final long SUSPECT_AFTER_MILLIS = 3_000;

  /** A refused connection counts once beats have been missed this long. */
  static final long REFUSED_AFTER_MILLIS = 1_500;

  /** What the beats say of one server. */
  public enum State {
    UNKNOWN,
    ALIVE,
    SUSPECT,
    DEAD
  }

  /**
   * A server's state changed, or it started again.
   *
   * @param key the server's address, {@code host:port}
   * @param node the node name it proved, or null
   * @param restarted it is alive under a new incarnation
   */
  public record Change(String key, String node, State from, State to, boolean restarted) {

    /** It came up: announce this server to it and ping it, which starts a catch-up if owed. */
    public boolean cameUp() {
      return to == State.ALIVE && (from != State.ALIVE && from != State.SUSPECT || restarted);
    }

    /** It went down after it was heard: mark it inactive and take its users over. */
    public boolean wentDown() {
      return to == State.DEAD && (from == State.ALIVE || from == State.SUSPECT);
    }
  }

  private record Seen(State state, long incarnation) {}

  private final Map<String, Seen> seen = new ConcurrentHashMap<>();

  /** What the beats say of one server now. */
  public static State judge(PeerLiveness live, long deadAfterMillis) {
    if (live == null || !live.everHeard()) {
      return live != null && live.refused() ? State.DEAD : State.UNKNOWN;
    }
    long silent = live.silentMillis();
    if (live.refused() && !live.linkUp() && silent >= REFUSED_AFTER_MILLIS) {
      return State.DEAD;
    }
    if (silent < SUSPECT_AFTER_MILLIS) {
      return State.ALIVE;
    }
    return silent < deadAfterMillis ? State.SUSPECT : State.DEAD;
  }

  /**
   * Records a server's state now.
   *
   * @return the change, or null if nothing changed
   */
  public Change update(String key, PeerLiveness live, long deadAfterMillis) {
    State now = judge(live, deadAfterMillis);
    long incarnation = live == null ? 0 : live.incarnation();
    Seen before = seen.get(key);
    long known = before == null ? 0 : before.incarnation();
    seen.put(key, new Seen(now, Math.max(known, incarnation)));
    State from = before == null ? State.UNKNOWN : before.state();
    boolean restarted =
        before != null
            && before.incarnation() != 0
            && incarnation > before.incarnation()
            && now == State.ALIVE;
    if (from == now && !restarted) {
      return null;
    }
    return new Change(key, live == null ? null : live.node(), from, now, restarted);
  }

  /** The state last recorded for a server. */
  public State state(String key) {
    Seen now = seen.get(key);
    return now == null ? State.UNKNOWN : now.state();
  }

  /** A server's key as {@link #update} takes it. */
  public static String key(String host, int port) {
    return host + ":" + port;
  }
}
