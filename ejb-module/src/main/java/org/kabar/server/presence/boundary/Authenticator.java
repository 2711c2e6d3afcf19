package org.kabar.server.presence.boundary;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.kabar.server.presence.control.SessionCache;
import org.kabar.server.presence.control.SessionTokens;
import org.kabar.server.presence.control.UnknownTokens;

/**
 * Finds the session of each request, as {@link Sessions#authenticate} does, but serves the common
 * cases without entering the EJB container: a session served here and remembered, sending from its
 * address or from another one. Every request carries its token, so this runs for every datagram,
 * and a container call with its transaction was a measurable part of each message's cost. Only a
 * token not remembered goes to the database, and only while the sender has not used up its budget
 * of lookups that found nothing; a token found unknown is not looked up again for a while ({@link
 * UnknownTokens}).
 */
@ApplicationScoped
public class Authenticator {

  @EJB Sessions sessions;

  @Inject SessionCache cache;

  @Inject UnknownTokens unknown;

  @Inject
  @ConfigProperty(name = "kabar.session.timeout.seconds", defaultValue = "180")
  int timeoutSeconds;

  private final AtomicLong lookups = new AtomicLong();

  /** Tokens looked up in the database since the node started. */
  public long lookups() {
    return lookups.get();
  }

  /**
   * The session holding this token, refreshed as seen now when it sends from its address.
   *
   * @param mayLookUp asked before a query of the database: whether the sender may still cost one
   * @param notFound told when a query found no session for the token (it costs the sender)
   * @return empty if no session holds the token (or the sender may not look it up now)
   */
  public Optional<Authentication> authenticate(
      String token, InetSocketAddress from, BooleanSupplier mayLookUp, Runnable notFound) {
    String tokenHash = SessionTokens.hash(token);
    Optional<SessionCache.Entry> cached =
        cache.served(tokenHash, from, Instant.now(), Sessions.touchEvery(timeoutSeconds));
    if (cached.isPresent()) {
      SessionCache.Entry entry = cached.get();
      return Optional.of(
          new Authentication(new Caller(entry.sessionId(), entry.username(), from), false, true));
    }
    Optional<SessionCache.Entry> elsewhere = cache.byTokenHash(tokenHash);
    if (elsewhere.isPresent()) {
      SessionCache.Entry entry = elsewhere.get(); // the session's client, from another address
      return Optional.of(
          new Authentication(new Caller(entry.sessionId(), entry.username(), from), false, false));
    }
    if (unknown.known(tokenHash) || !mayLookUp.getAsBoolean()) {
      return Optional.empty();
    }
    lookups.incrementAndGet();
    Optional<Authentication> found = sessions.authenticate(token, from);
    if (found.isEmpty()) {
      unknown.remember(tokenHash);
      notFound.run();
    }
    return found;
  }
}
