package org.kabar.server.accounts.control;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Budgets for failed logins, so that nobody can guess passwords at the node's speed: each address
 * may fail {@link #ADDRESS_BURST} times, then once every {@link #ADDRESS_REFILL_MILLIS}; each
 * username may fail {@link #USER_FREE} times, then must wait 1 s, 2 s, 4 s, … up to {@link
 * #USER_MAX_WAIT} before the next try. Both are checked when a login begins ({@code AUTH}) and
 * again before its proof is checked ({@code PROVE}), so nonces gathered beforehand buy no more
 * tries.
 *
 * <p>The name's wait holds only for addresses the account has not logged in from: anyone can fail
 * with anyone's name, and a wait by name alone would lock the owner out. The owner's addresses
 * (those it logged in from here, or those its sessions are recorded at in the Connected table) are
 * held only to their own address budget. A success does not clear the name's failures (they may be
 * somebody else's); they are forgotten after an hour without any. Every table is bounded.
 */
@ApplicationScoped
public class LoginThrottle {

  static final int ADDRESS_BURST = 10;
  static final long ADDRESS_REFILL_MILLIS = 6_000;
  static final int USER_FREE = 5;
  static final Duration USER_MAX_WAIT = Duration.ofMinutes(5);

  /** Addresses remembered per name, the most recent. */
  static final int KNOWN_PER_NAME = 16;

  /** How long a verdict of the Connected table on a name and an address is reused. */
  static final Duration VERDICT_KEPT = Duration.ofMinutes(1);

  /** The clock, in milliseconds: replaced in tests. */
  LongSupplier clock = System::currentTimeMillis;

  private final Cache<String, AddressBudget> addresses =
      Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10)).maximumSize(100_000).build();

  private final Cache<String, NameFailures> names =
      Caffeine.newBuilder().expireAfterWrite(Duration.ofHours(1)).maximumSize(100_000).build();

  private final Cache<String, Set<String>> known =
      Caffeine.newBuilder().expireAfterAccess(Duration.ofDays(30)).maximumSize(100_000).build();

  private final Cache<String, Boolean> verdicts =
      Caffeine.newBuilder().expireAfterWrite(VERDICT_KEPT).maximumSize(100_000).build();

  private final AtomicLong failures = new AtomicLong();

  /**
   * How long, in seconds, an attempt from this address for this name must wait; 0: go ahead.
   *
   * @param history asked, only when the name must wait, whether the account has logged in from this
   *     address
   */
  public long waitSeconds(String address, String username, AddressHistory history) {
    long now = clock.getAsLong();
    long wait = 0;
    AddressBudget budget = addresses.getIfPresent(address);
    if (budget != null) {
      wait = budget.waitMillis(now);
    }
    NameFailures failed = names.getIfPresent(username);
    if (failed != null) {
      long nameWait = failed.waitMillis(now);
      if (nameWait > wait && !isKnown(username, address, history)) {
        wait = nameWait;
      }
    }
    return (wait + 999) / 1000;
  }

  /** Whether the account has logged in from this address (here, or as its sessions show). */
  public boolean isKnown(String username, String address, AddressHistory history) {
    Set<String> remembered = known.getIfPresent(username);
    if (remembered != null && remembered.contains(address)) {
      return true;
    }
    return verdicts.get(username + " " + address, k -> history.loggedInFrom(username, address));
  }

  /** Failed attempts since the node started. */
  public long failures() {
    return failures.get();
  }

  /** A failed attempt: counted against the address and the name. */
  public void failed(String address, String username) {
    failures.incrementAndGet();
    long now = clock.getAsLong();
    addresses.get(address, a -> new AddressBudget(now)).spend(now);
    names.asMap().compute(username, (n, old) -> old == null ? new NameFailures() : old).fail(now);
  }

  /**
   * A successful login or registration from this address: the address is the account's from now on,
   * and the name's wait no longer holds it.
   */
  public void succeeded(String username, String address) {
    known.get(username, n -> Collections.synchronizedSet(newestFirst())).add(address);
    verdicts.invalidate(username + " " + address);
  }

  private static Set<String> newestFirst() {
    return Collections.newSetFromMap(
        new LinkedHashMap<>() {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > KNOWN_PER_NAME;
          }
        });
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

  /** Failures of one name, and when it may try again. */
  private static final class NameFailures {
    private int count;
    private long notBefore;

    synchronized void fail(long now) {
      count++;
      if (count >= USER_FREE) {
        long wait = Math.min(USER_MAX_WAIT.toMillis(), 1000L << Math.min(20, count - USER_FREE));
        notBefore = Math.max(notBefore, now + wait);
      }
    }

    synchronized long waitMillis(long now) {
      return Math.max(0, notBefore - now);
    }
  }
}
