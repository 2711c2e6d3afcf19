package org.kabar.server.accounts.control;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.BooleanSupplier;
import org.kabar.protocol.auth.Scram;
import org.kabar.protocol.client.ClientReply.AuthChallenge.Mode;
import org.kabar.protocol.client.LoginProofs;

/**
 * The login and registration exchanges between their {@code AUTH} and their {@code PROVE} or {@code
 * REGISTER}, by combined nonce: each is taken once, must be finished from the address that began it
 * within {@link #LIFETIME}, and at most {@link #MOST} wait at once (the oldest give way), so that a
 * flood of AUTHs costs bounded memory. Few wait per address ({@link #PER_ADDRESS}: a new one pushes
 * the address's oldest out) and per name from addresses the account has not logged in from ({@link
 * #PER_NAME}: beyond it a new one ends the oldest of its own address, or is refused until one
 * ends), so that nobody holds a pile of nonces to spend on guesses at once.
 */
@ApplicationScoped
public class PendingLogins {

  /** How long an exchange may take between its two steps. */
  public static final Duration LIFETIME = Duration.ofSeconds(30);

  /** Exchanges waiting at most. */
  static final long MOST = 20_000;

  /** Exchanges waiting per address at most: a new one ends the oldest. */
  public static final int PER_ADDRESS = 3;

  /** Exchanges waiting per name from addresses not the account's at most: more are refused. */
  public static final int PER_NAME = 3;

  private final Cache<String, Pending> pending =
      Caffeine.newBuilder().expireAfterWrite(LIFETIME).maximumSize(MOST).build();

  /** The nonces of the exchanges begun by each address, and per name by strangers, oldest first. */
  private final Cache<String, Deque<String>> byAddress =
      Caffeine.newBuilder().expireAfterAccess(LIFETIME).maximumSize(MOST).build();

  private final Cache<String, Deque<String>> byName =
      Caffeine.newBuilder().expireAfterAccess(LIFETIME).maximumSize(MOST).build();

  /**
   * One exchange begun by an {@code AUTH}.
   *
   * @param salt the salt as sent (base64), or null for a directory account
   * @param keys the account's keys, or null if the name is unknown (no proof can match) or its
   *     password lives in the directory
   */
  public record Pending(
      String username,
      String clientNonce,
      String nonce,
      InetSocketAddress from,
      Mode mode,
      String salt,
      int iterations,
      Scram.Keys keys) {

    /** What the SCRAM proofs of this exchange sign. */
    public String authMessage() {
      return Scram.authMessage(username, clientNonce, nonce, salt, iterations);
    }

    /** What a box sealed for this exchange is bound to, for one purpose (login, register). */
    public byte[] sealContext(String purpose) {
      return LoginProofs.sealContext(purpose, username, nonce);
    }
  }

  /**
   * Records a new exchange, unless too many wait for its name from addresses not the account's.
   *
   * @param ownAddress asked, only when the name has its most waiting, whether the exchange comes
   *     from an address the account has logged in from (then it is not counted for the name)
   * @return false if refused: too many logins for this name are under way
   */
  public synchronized boolean begin(Pending exchange, BooleanSupplier ownAddress) {
    String address = exchange.from().getAddress().getHostAddress();
    Deque<String> ofName = waiting(byName, exchange.username());
    boolean counted = ofName.size() < PER_NAME || !ownAddress.getAsBoolean();
    if (counted && ofName.size() >= PER_NAME && !endOldestFrom(ofName, exchange.from())) {
      return false;
    }
    Deque<String> ofAddress = waiting(byAddress, address);
    while (ofAddress.size() >= PER_ADDRESS) {
      pending.invalidate(ofAddress.removeFirst());
    }
    ofAddress.addLast(exchange.nonce());
    if (counted) {
      ofName.addLast(exchange.nonce());
    }
    pending.put(exchange.nonce(), exchange);
    return true;
  }

  /**
   * Ends the oldest of these exchanges begun from this address, if any: a client that starts again
   * takes its own place, never somebody else's.
   */
  private boolean endOldestFrom(Deque<String> nonces, InetSocketAddress from) {
    for (String nonce : nonces) {
      Pending waiting = pending.getIfPresent(nonce);
      if (waiting != null
          && waiting.from().getAddress().equals(from.getAddress())
          && nonces.remove(nonce)) {
        pending.invalidate(nonce);
        return true;
      }
    }
    return false;
  }

  /** The nonces still waiting under a key, oldest first, with those taken or expired removed. */
  private Deque<String> waiting(Cache<String, Deque<String>> index, String key) {
    Deque<String> nonces = index.get(key, k -> new ArrayDeque<>());
    nonces.removeIf(nonce -> pending.getIfPresent(nonce) == null);
    return nonces;
  }

  /** Takes the exchange of a nonce, if it is still waiting: a second attempt finds nothing. */
  public Pending take(String nonce) {
    return pending.asMap().remove(nonce); // the indexes drop it when next looked at
  }

  /** Exchanges waiting now, about: for tests and metrics. */
  public long size() {
    return pending.estimatedSize();
  }
}
