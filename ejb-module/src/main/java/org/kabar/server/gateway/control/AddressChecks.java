package org.kabar.server.gateway.control;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.function.LongSupplier;

/**
 * Return-routability checks: before a session's pushes follow its client to a new address, the
 * client must echo a challenge the server sent there ({@code K1 * CHECK <challenge>}). Anyone can
 * forge a source address, and without the check a holder of a token could aim a session's pushes at
 * a victim. One challenge per session waits at a time, at most one is sent a second, and it is good
 * for {@link #VALID}.
 */
@ApplicationScoped
public class AddressChecks {

  static final Duration VALID = Duration.ofSeconds(30);

  static final long EVERY_MILLIS = 1_000;

  private static final SecureRandom RANDOM = new SecureRandom();

  /** The clock, in milliseconds: replaced in tests. */
  LongSupplier clock = System::currentTimeMillis;

  private record Pending(InetSocketAddress address, String challenge, long sentAt) {}

  private final Cache<Long, Pending> pending =
      Caffeine.newBuilder().expireAfterWrite(VALID).maximumSize(100_000).build();

  /**
   * A challenge to send to this address for this session now, or null if one went out less than
   * {@link #EVERY_MILLIS} ago.
   */
  public String challenge(long sessionId, InetSocketAddress address) {
    long now = clock.getAsLong();
    Pending fresh = new Pending(address, newChallenge(), now);
    Pending kept =
        pending
            .asMap()
            .compute(
                sessionId,
                (id, old) -> old != null && now - old.sentAt() < EVERY_MILLIS ? old : fresh);
    return kept == fresh ? fresh.challenge() : null;
  }

  /** Whether this answer from this address matches the challenge sent there; used up if so. */
  public boolean passes(long sessionId, InetSocketAddress from, String answer) {
    Pending sent = pending.getIfPresent(sessionId);
    if (sent == null
        || !sent.address().equals(from)
        || !MessageDigest.isEqual(
            sent.challenge().getBytes(StandardCharsets.US_ASCII),
            answer.getBytes(StandardCharsets.US_ASCII))) {
      return false;
    }
    return pending.asMap().remove(sessionId, sent);
  }

  private static String newChallenge() {
    byte[] bits = new byte[12];
    RANDOM.nextBytes(bits);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
  }
}
