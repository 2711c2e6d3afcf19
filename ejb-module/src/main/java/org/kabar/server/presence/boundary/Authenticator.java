package org.kabar.server.presence.boundary;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.kabar.server.presence.control.SessionCache;
import org.kabar.server.presence.control.SessionTokens;

/**
 * Finds the session of each request, as {@link Sessions#authenticate} does, but serves the common
 * case without entering the EJB container: a session served here, remembered, sending from the
 * address it was seen at. Every request carries its token, so this runs for every datagram, and a
 * container call with its transaction was a measurable part of each message's cost. Anything else
 * (a session not remembered, a new address, a takeover) goes to {@link Sessions}.
 */
@ApplicationScoped
public class Authenticator {

  @EJB Sessions sessions;

  @Inject SessionCache cache;

  @Inject
  @ConfigProperty(name = "kabar.session.timeout.seconds", defaultValue = "180")
  int timeoutSeconds;

  /**
   * The session holding this token, refreshed as seen now; moved if it sends from a new address.
   */
  public Optional<Authentication> authenticate(String token, InetSocketAddress from) {
    Optional<SessionCache.Entry> cached =
        cache.served(
            SessionTokens.hash(token), from, Instant.now(), Sessions.touchEvery(timeoutSeconds));
    if (cached.isPresent()) {
      SessionCache.Entry entry = cached.get();
      return Optional.of(
          new Authentication(new Caller(entry.sessionId(), entry.username(), from), false));
    }
    return sessions.authenticate(token, from);
  }
}
