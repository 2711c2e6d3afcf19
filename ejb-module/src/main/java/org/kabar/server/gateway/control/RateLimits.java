package org.kabar.server.gateway.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Token buckets per source address (requests without a session) and per session, so that one client
 * cannot take the node's capacity from the others.
 */
@ApplicationScoped
public class RateLimits {

  private static final int MAX_TRACKED = 100_000;

  @Inject
  @ConfigProperty(name = "kabar.rate.address.per.second", defaultValue = "20")
  int addressRate;

  @Inject
  @ConfigProperty(name = "kabar.rate.session.per.second", defaultValue = "200")
  int sessionRate;

  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  /** Whether a request without a session from this address may be served now. */
  public boolean allowAddress(String address) {
    return take("a:" + address, addressRate);
  }

  /** Whether a request of this session may be served now. */
  public boolean allowSession(long sessionId) {
    return take("s:" + sessionId, sessionRate);
  }

  private boolean take(String key, int perSecond) {
    if (buckets.size() > MAX_TRACKED) {
      buckets.clear(); // a flood of sources: start over rather than grow without bound
    }
    return buckets.computeIfAbsent(key, k -> new Bucket(perSecond)).take(perSecond);
  }

  /** Allows bursts of twice the rate, refilled continuously. */
  private static final class Bucket {
    private double tokens;
    private long last = System.nanoTime();

    Bucket(int perSecond) {
      tokens = 2.0 * perSecond;
    }

    synchronized boolean take(int perSecond) {
      long now = System.nanoTime();
      tokens = Math.min(2.0 * perSecond, tokens + (now - last) / 1e9 * perSecond);
      last = now;
      if (tokens < 1) {
        return false;
      }
      tokens--;
      return true;
    }
  }
}
