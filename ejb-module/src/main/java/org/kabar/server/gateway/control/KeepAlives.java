package org.kabar.server.gateway.control;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Decides when an unframed {@code /@live?} should refresh the session at its address: at most every
 * few seconds per address, so that a flood of liveness checks costs no database writes. Bounded: an
 * address forgotten early costs one write more.
 */
@ApplicationScoped
public class KeepAlives {

  static final Duration EVERY = Duration.ofSeconds(5);

  private final Cache<InetSocketAddress, Boolean> recent =
      Caffeine.newBuilder().expireAfterWrite(EVERY).maximumSize(100_000).build();

  /** Whether this address's session is due for a refresh now (and, if so, records it). */
  public boolean due(InetSocketAddress client) {
    return recent.asMap().putIfAbsent(client, Boolean.TRUE) == null;
  }
}
