package org.kabar.server.admin.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Back-off for the console's sign-in. After {@link #ADDRESS_FREE} failed sign-ins in a row from one
 * address, or {@link #NAME_FREE} for one name from anywhere, the next attempt must wait: {@link
 * #FIRST_WAIT_SECONDS} at first, twice as long after each further failure, at most {@link
 * #LONGEST_WAIT_SECONDS}. An attempt made while waiting is refused without checking its password
 * and does not count as a failure, so a flood costs nothing and does not lengthen the wait. A right
 * password clears its address and its name.
 */
@ApplicationScoped
public class SignInThrottle {

  /** Failures in a row from one address before it must wait. */
  public static final int ADDRESS_FREE = 5;

  /**
   * Failures in a row of one name, from any address, before it must wait: more than an address
   * gets, so that one address guessing a name does not make the name wait for everyone else.
   */
  public static final int NAME_FREE = 10;

  static final long FIRST_WAIT_SECONDS = 30;
  static final long LONGEST_WAIT_SECONDS = 15 * 60;

  /** A record of failures is forgotten this long after its last failure. */
  static final long FORGET_SECONDS = 30 * 60;

  /** Addresses and names followed at most; the least recently seen are forgotten first. */
  static final int MAX_TRACKED = 10_000;

  /**
   * An attempt that must wait.
   *
   * @param waitSeconds how long, at least 1
   * @param what {@code "address …"} or {@code "name …"}: what is waiting
   * @param failures failures in a row of what is waiting
   * @param first whether this is the first refusal of this wait (the one worth auditing)
   */
  public record Refusal(long waitSeconds, String what, int failures, boolean first) {}

  private static final class Failures {
    int count;
    long lastNanos;
    long waitUntilNanos;
    boolean refusalReported;
  }

  private final LongSupplier clock;

  // access order: the eldest entry is the one least recently seen
  private final Map<String, Failures> failures = new LinkedHashMap<>(64, 0.75f, true);

  public SignInThrottle() {
    this(System::nanoTime);
  }

  SignInThrottle(LongSupplier clock) {
    this.clock = clock;
  }

  /** Whether an attempt from this address for this name must wait, and if so how long. */
  public synchronized Optional<Refusal> check(String address, String name) {
    long now = clock.getAsLong();
    Optional<Refusal> byAddress = waiting(addressKey(address), now);
    Optional<Refusal> byName = waiting(nameKey(name), now);
    if (byAddress.isPresent() && byName.isPresent()) {
      return byAddress.get().waitSeconds() >= byName.get().waitSeconds() ? byAddress : byName;
    }
    return byAddress.isPresent() ? byAddress : byName;
  }

  /** Counts a wrong password from this address for this name. */
  public synchronized void failed(String address, String name) {
    long now = clock.getAsLong();
    count(addressKey(address), ADDRESS_FREE, now);
    count(nameKey(name), NAME_FREE, now);
  }

  /** A right password: its address and its name start afresh. */
  public synchronized void succeeded(String address, String name) {
    failures.remove(addressKey(address));
    failures.remove(nameKey(name));
  }

  private static String addressKey(String address) {
    return "address " + address;
  }

  // a directory may take a name in any case: one name, one count
  private static String nameKey(String name) {
    return "name " + String.valueOf(name).toLowerCase(Locale.ROOT);
  }

  private Optional<Refusal> waiting(String key, long now) {
    Failures f = failures.get(key);
    if (f == null || now - f.waitUntilNanos >= 0) {
      return Optional.empty();
    }
    long seconds =
        Math.max(1, TimeUnit.NANOSECONDS.toSeconds(f.waitUntilNanos - now + 999_999_999));
    boolean first = !f.refusalReported;
    f.refusalReported = true;
    return Optional.of(new Refusal(seconds, key, f.count, first));
  }

  private void count(String key, int free, long now) {
    Failures f = failures.get(key);
    if (f != null && now - f.lastNanos > TimeUnit.SECONDS.toNanos(FORGET_SECONDS)) {
      f = null; // long quiet: start afresh
    }
    if (f == null) {
      f = new Failures();
      f.waitUntilNanos = now;
      failures.put(key, f);
      forgetEldest();
    }
    f.count++;
    f.lastNanos = now;
    if (f.count >= free) {
      int doublings = Math.min(f.count - free, 30);
      long wait = Math.min(LONGEST_WAIT_SECONDS, FIRST_WAIT_SECONDS << doublings);
      f.waitUntilNanos = now + TimeUnit.SECONDS.toNanos(wait);
      f.refusalReported = false;
    }
  }

  private void forgetEldest() {
    var eldest = failures.entrySet().iterator();
    while (failures.size() > MAX_TRACKED && eldest.hasNext()) {
      eldest.next();
      eldest.remove();
    }
  }
}
