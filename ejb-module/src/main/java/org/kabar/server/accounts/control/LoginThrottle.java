package org.kabar.server.accounts.control;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Budgets for failed logins, so that nobody can guess passwords at the node's speed: each address
 * may fail {@link #ADDRESS_BURST} times, then once every {@link #ADDRESS_REFILL_MILLIS}; each
 * username may fail {@link #USER_FREE} times in a row, then must wait 1 s, 2 s, 4 s, … up to {@link
 * #USER_MAX_WAIT} before the next try. A success clears the name's count. Both tables are bounded
 * and forget what was quiet for a while.
 */
@ApplicationScoped
public class LoginThrottle {

  static final int ADDRESS_BURST = 10;
  static final long ADDRESS_REFILL_MILLIS = 6_000;
  static final int USER_FREE = 5;
  static final Duration USER_MAX_WAIT = Duration.ofMinutes(5);

  /** The clock, in milliseconds: replaced in tests. */
  LongSupplier clock = System::currentTimeMillis;

  private final Cache<String, AddressBudget> addresses =
      Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10)).maximumSize(100_000).build();

  private final Cache<String, NameFailures> names =
      Caffeine.newBuilder().expireAfterAccess(Duration.ofHours(1)).maximumSize(100_000).build();

  /** How long, in seconds, an attempt from this address for this name must wait; 0: go ahead. */
  public long waitSeconds(String address, String username) {
    long now = clock.getAsLong();
    long wait = 0;
    AddressBudget budget = addresses.getIfPresent(address);
    if (budget != null) {
      wait = Math.max(wait, budget.waitMillis(now));
    }
    NameFailures failures = names.getIfPresent(username);
    if (failures != null) {
      wait = Math.max(wait, failures.waitMillis(now));
    }
    return (wait + 999) / 1000;
  }

  private final AtomicLong failures = new AtomicLong();

  /** Failed attempts since the node started. */
  public long failures() {
    return failures.get();
  }

  /** A failed attempt: counted against the address and the name. */
  public void failed(String address, String username) {
    failures.incrementAndGet();
    long now = clock.getAsLong();
    addresses.get(address, a -> new AddressBudget(now)).spend(now);
    names.get(username, n -> new NameFailures()).fail(now);
  }

  /** A successful login: the name starts afresh (the address's budget refills on its own). */
  public void succeeded(String username) {
    names.invalidate(username);
  }

  /** A token bucket of failures. */
  private static final class AddressBudget {
    private double tokens = ADDRESS_BURST;
    private long last;

    AddressBudget(long now) {
      last = now;
    }

    private void refill(long now) {
      tokens = Math.min(ADDRESS_BURST, tokens + (now - last) / (double) ADDRESS_REFILL_MILLIS);
      last = now;
    }

    synchronized void spend(long now) {
      refill(now);
      tokens = Math.max(0, tokens - 1);
    }

    synchronized long waitMillis(long now) {
      refill(now);
      return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) * ADDRESS_REFILL_MILLIS);
    }
  }

  /** Failures of one name in a row, and when it may try again. */
  private static final class NameFailures {
    private int count;
    private long notBefore;

    synchronized void fail(long now) {
      count++;
      if (count >= USER_FREE) {
        long wait = Math.min(USER_MAX_WAIT.toMillis(), 1000L << Math.min(20, count - USER_FREE));
        notBefore = now + wait;
      }
    }

    synchronized long waitMillis(long now) {
      return Math.max(0, notBefore - now);
    }
  }
}
