package org.kabar.server.cluster.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Which server each user is connected to, as this server last heard: fed by the copies of Connected
 * rows it merges, and by the table when it has not heard lately. It only picks the server a new
 * message also goes to straight away, so that server pushes it at once: a stale answer costs one
 * extra copy or a push that waits for the next hop, never a message.
 */
@ApplicationScoped
public class Whereabouts {

  /** How long an answer read from the table stands: a move is heard as a copy well within. */
  static final long FRESH_NANOS = 5_000_000_000L;

  /** Users remembered at most; past it, the oldest answers are simply read again. */
  static final int MOST = 200_000;

  private record Where(String server, long atNanos) {}

  private final Map<String, Where> byUser = new ConcurrentHashMap<>();

  /**
   * The server the user is connected to ("" if none), from memory if heard lately, else from {@code
   * read}.
   */
  public String serverOf(String user, Function<String, Optional<String>> read) {
    long now = System.nanoTime();
    Where known = byUser.get(user);
    if (known != null && now - known.atNanos() < FRESH_NANOS) {
      return known.server();
    }
    String server = read.apply(user).orElse("");
    remember(user, server, now);
    return server;
  }

  /**
   * A copy of a Connected row said where the user is now ({@code null}: nowhere).
   *
   * @return the server this server had the user at before ("" for none or not known)
   */
  public String heard(String user, String server) {
    return remember(user, server == null ? "" : server, System.nanoTime());
  }

  private String remember(String user, String server, long now) {
    if (byUser.size() >= MOST) {
      byUser.clear(); // rare: answers are read again, a query each
    }
    Where before = byUser.put(user, new Where(server, now));
    return before == null ? "" : before.server();
  }
}
