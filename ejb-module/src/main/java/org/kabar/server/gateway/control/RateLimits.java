package org.kabar.server.gateway.control;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Token buckets per source address (requests without a session, liveness checks), per session, and
 * per address for looking up tokens this server does not hold, so that one client cannot take the
 * node's capacity from the others. The tables are bounded and forget a key quiet for {@link #IDLE}:
 * a flood of new source addresses pushes out the least used buckets, never all of them at once.
 */
@ApplicationScoped
public class RateLimits {

  /** A bucket unused this long is full again anyway, and is forgotten. */
  static final Duration IDLE = Duration.ofSeconds(30);

  static final long MOST_TRACKED = 200_000;

  @Inject
  @ConfigProperty(name = "kabar.rate.address.per.second", defaultValue = "20")
  int addressRate;

  @Inject
  @ConfigProperty(name = "kabar.rate.session.per.second", defaultValue = "200")
  int sessionRate;

  @Inject
  @ConfigProperty(name = "kabar.rate.lookup.per.second", defaultValue = "5")
  int lookupRate;

  /** The clock the buckets refill by, in nanoseconds: replaced in tests. */
  LongSupplier nanos = System::nanoTime;

  private final Cache<String, Bucket> addresses = table();
  private final Cache<Long, Bucket> sessions = table();
  private final Cache<String, Bucket> lookups = table();

  private static <K> Cache<K, Bucket> table() {
    return Caffeine.newBuilder().expireAfterAccess(IDLE).maximumSize(MOST_TRACKED).build();
  }

  /** Whether a request without a session (or a liveness check) from this address may be served. */
  public boolean allowAddress(String address) {
    return addresses.get(address, a -> new Bucket(addressRate, nanos)).take(addressRate);
  }

  /** Whether a request of this session may be served now. */
  public boolean allowSession(long sessionId) {
    return sessions.get(sessionId, s -> new Bucket(sessionRate, nanos)).take(sessionRate);
  }

  /**
   * Whether this address may have the database searched for a token not held in memory: it has not
   * used up its budget of searches that found nothing. A search that finds the session costs
   * nothing (the sender proved it holds a token; many clients behind one address may need one after
   * a failover, or where sessions are not kept in memory), so random tokens are what the budget
   * stops.
   */
  public boolean allowLookup(String address) {
    Bucket bucket = lookups.getIfPresent(address);
    return bucket == null || bucket.has(lookupRate);
  }

  /** A search for a token from this address found no session: it costs the address's budget. */
  public void lookupFailed(String address) {
    lookups.get(address, a -> new Bucket(lookupRate, nanos)).take(lookupRate);
  }

  /** Allows bursts of twice the rate, refilled continuously. */
  private static final class Bucket {
    private final LongSupplier nanos;
    private double tokens;
    private long last;

    Bucket(int perSecond, LongSupplier nanos) {
      this.nanos = nanos;
      this.last = nanos.getAsLong();
      tokens = 2.0 * perSecond;
    }

    synchronized boolean has(int perSecond) {
      refill(perSecond);
      return tokens >= 1;
    }

    private void refill(int perSecond) {
      long now = nanos.getAsLong();
      tokens = Math.min(2.0 * perSecond, tokens + (now - last) / 1e9 * perSecond);
      last = now;
    }

    synchronized boolean take(int perSecond) {
      refill(perSecond);
      if (tokens < 1) {
        return false;
      }
      tokens--;
      return true;
    }
  }
}
