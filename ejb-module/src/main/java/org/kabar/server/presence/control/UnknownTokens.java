package org.kabar.server.presence.control;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Token hashes a lookup found no session for, remembered for a few seconds: a client repeating a
 * request with a dead token, or someone trying random tokens, costs no second query. Bounded; a
 * session made since cannot have one of these tokens (tokens are random and new).
 */
@ApplicationScoped
public class UnknownTokens {

  /** How long a token found unknown is not looked up again. */
  static final Duration REMEMBERED = Duration.ofSeconds(10);

  private final Cache<String, Boolean> unknown =
      Caffeine.newBuilder().expireAfterWrite(REMEMBERED).maximumSize(100_000).build();

  /** Whether a lookup found no session for this token hash lately. */
  public boolean known(String tokenHash) {
    return unknown.getIfPresent(tokenHash) != null;
  }

  /** A lookup found no session for this token hash. */
  public void remember(String tokenHash) {
    unknown.put(tokenHash, Boolean.TRUE);
  }
}
