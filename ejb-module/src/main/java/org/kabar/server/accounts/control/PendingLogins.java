package org.kabar.server.accounts.control;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.kabar.protocol.auth.Scram;
import org.kabar.protocol.client.ClientReply.AuthChallenge.Mode;
import org.kabar.protocol.client.LoginProofs;

/**
 * The login and registration exchanges between their {@code AUTH} and their {@code PROVE} or {@code
 * REGISTER}, by combined nonce: each is taken once, must be finished from the address that began it
 * within {@link #LIFETIME}, and at most {@link #MOST} wait at once (the oldest give way), so that a
 * flood of AUTHs costs bounded memory.
 */
@ApplicationScoped
public class PendingLogins {

  /** How long an exchange may take between its two steps. */
  static final Duration LIFETIME = Duration.ofSeconds(30);

  /** Exchanges waiting at most. */
  static final long MOST = 20_000;

  private final Cache<String, Pending> pending =
      Caffeine.newBuilder().expireAfterWrite(LIFETIME).maximumSize(MOST).build();

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

  /** Records a new exchange. */
  public void begin(Pending exchange) {
    pending.put(exchange.nonce(), exchange);
  }

  /** Takes the exchange of a nonce, if it is still waiting: a second attempt finds nothing. */
  public Pending take(String nonce) {
    return pending.asMap().remove(nonce);
  }

  /** Exchanges waiting now, about: for tests and metrics. */
  public long size() {
    return pending.estimatedSize();
  }
}
