package org.kabar.server.gateway.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides when an unframed {@code /@live?} should refresh the session at its address: at most every
 * few seconds per address, so that a flood of liveness checks costs no database writes.
 */
@ApplicationScoped
public class KeepAlives {

  private static final long EVERY_MILLIS = 5_000;
  private static final int MAX_TRACKED = 100_000;

  private final Map<InetSocketAddress, Long> last = new ConcurrentHashMap<>();

  /** Whether this address's session is due for a refresh now (and, if so, records it). */
  public boolean due(InetSocketAddress client) {
    long now = System.currentTimeMillis();
    if (last.size() > MAX_TRACKED) {
      last.clear();
    }
    Long previous = last.get(client);
    if (previous != null && now - previous < EVERY_MILLIS) {
      return false;
    }
    last.put(client, now);
    return true;
  }
}
