package org.kabar.server.accounts.boundary;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.kabar.protocol.auth.Hkdf;
import org.kabar.protocol.auth.Scram;
import org.kabar.protocol.auth.SealedBox;
import org.kabar.protocol.client.ClientReply.AuthChallenge;
import org.kabar.protocol.client.ClientReply.AuthChallenge.Mode;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.protocol.client.LoginProofs;
import org.kabar.protocol.client.Names;
import org.kabar.server.accounts.control.AddressHistory;
import org.kabar.server.accounts.control.LoginKeys;
import org.kabar.server.accounts.control.LoginThrottle;
import org.kabar.server.accounts.control.PasswordHashing;
import org.kabar.server.accounts.control.PendingLogins;
import org.kabar.server.accounts.control.PendingLogins.Pending;

/**
 * The server's side of the login exchange (docs/PROTOCOL.md, "Logging in"): {@code AUTH} is
 * answered with a nonce, the node's public key and the account's salt; {@code PROVE} is checked
 * with the account's SCRAM keys (a few HMACs, no PBKDF2 here), or for directory accounts by opening
 * the sealed password for the directory to check; {@code REGISTER} opens the new account's keys.
 * Unknown names are answered like known ones. Failures count against the address and the name
 * ({@link LoginThrottle}). A CDI bean outside any transaction: only reading an account's keys
 * touches the database.
 */
@ApplicationScoped
public class Logins {

  private static final SecureRandom RANDOM = new SecureRandom();

  @EJB Accounts accounts;

  @Inject Directory directory;

  @Inject LoginKeys keys;

  @Inject PendingLogins pending;

  @Inject LoginThrottle throttle;

  @Inject PasswordHashing passwords;

  /** What a step of the exchange came to. */
  public sealed interface Outcome {}

  /** The step was refused. */
  public record Refused(ErrorCode code, String text) implements Outcome {
    static Refused of(ErrorCode code) {
      return new Refused(code, code.text());
    }
  }

  /** The proof was right: the user may log in; the signature goes back with the token. */
  public record Proven(String username, String serverSignature) implements Outcome {}

  /**
   * A directory account's password, opened: the directory must check it. If it is wrong, report it
   * with {@link #failed}.
   */
  public record SealedPassword(String username, String password, String serverSignature)
      implements Outcome {}

  /** A registration, opened: the keys (or, for the directory, the password) of the new account. */
  public record NewAccount(String username, Scram.Keys keys, String password) implements Outcome {}

  /**
   * The answer to {@code AUTH}, or why not now.
   *
   * @param history whether the account has logged in from an address before (its owner's addresses
   *     are not held up by failures with its name from elsewhere)
   */
  public Outcome challenge(
      long seq,
      String username,
      String clientNonce,
      InetSocketAddress from,
      AddressHistory history) {
    Optional<Refused> slow = throttled(from, username, history);
    if (slow.isPresent()) {
      return slow.get();
    }
    String nonce = clientNonce + randomText();
    String address = from.getAddress().getHostAddress();
    BooleanSupplier own = () -> throttle.isKnown(username, address, history);
    if (directory.active()) {
      if (!pending.begin(
          new Pending(username, clientNonce, nonce, from, Mode.DIRECTORY, null, 0, null), own)) {
        return UNDER_WAY;
      }
      return new Challenge(
          new AuthChallenge(seq, nonce, keys.publicKey(), Mode.DIRECTORY, null, 0));
    }
    Optional<Scram.Keys> account = accounts.credentials(username);
    byte[] salt = account.map(Scram.Keys::salt).orElseGet(() -> keys.unknownUserSalt(username));
    int iterations = account.map(Scram.Keys::iterations).orElse(passwords.iterations());
    String saltText = Scram.base64(salt);
    boolean begun =
        pending.begin(
            new Pending(
                username,
                clientNonce,
                nonce,
                from,
                Mode.SCRAM,
                saltText,
                iterations,
                account.orElse(null)),
            own);
    if (!begun) {
      return UNDER_WAY;
    }
    return new Challenge(
        new AuthChallenge(seq, nonce, keys.publicKey(), Mode.SCRAM, saltText, iterations));
  }

  /** The reply to an {@code AUTH}. */
  public record Challenge(AuthChallenge reply) implements Outcome {}

  /**
   * Checks a {@code PROVE}: the SCRAM proof, or the sealed password of a directory account. The
   * budgets of failed logins are checked again first: a nonce handed out while they were open buys
   * no try once they are spent.
   */
  public Outcome prove(
      String nonce, String proofText, InetSocketAddress from, AddressHistory history) {
    Pending exchange = pending.take(nonce);
    if (exchange == null || !exchange.from().equals(from)) {
      return Refused.of(ErrorCode.LOGIN_EXPIRED); // expired, taken, or another address's
    }
    Optional<Refused> slow = throttled(from, exchange.username(), history);
    if (slow.isPresent()) {
      return slow.get();
    }
    byte[] proof = Base64.getDecoder().decode(proofText);
    String address = from.getAddress().getHostAddress();
    if (exchange.mode() == Mode.DIRECTORY) {
      byte[] context = exchange.sealContext("login");
      Optional<SealedBox.Opened> opened = open(proof, context);
      String password =
          opened.map(o -> new String(o.plaintext(), StandardCharsets.UTF_8)).orElse(null);
      if (password == null || !Names.password(password)) {
        throttle.failed(address, exchange.username());
        return Refused.of(ErrorCode.WRONG_CREDENTIALS);
      }
      return new SealedPassword(
          exchange.username(),
          password,
          Scram.base64(Hkdf.hmac(opened.get().confirmKey(), context)));
    }
    String message = exchange.authMessage();
    if (exchange.keys() == null || !Scram.verify(exchange.keys().storedKey(), message, proof)) {
      throttle.failed(address, exchange.username());
      return Refused.of(ErrorCode.WRONG_CREDENTIALS);
    }
    throttle.succeeded(exchange.username(), address);
    return new Proven(
        exchange.username(),
        Scram.base64(Scram.serverSignature(exchange.keys().serverKey(), message)));
  }

  /** Opens a {@code REGISTER}: the new account's keys, sealed for this node. */
  public Outcome registration(String nonce, String sealedText, InetSocketAddress from) {
    Pending exchange = pending.take(nonce);
    if (exchange == null || !exchange.from().equals(from)) {
      return Refused.of(ErrorCode.LOGIN_EXPIRED);
    }
    if (!Names.registrable(exchange.username())) {
      return new Refused(
          ErrorCode.BAD_ARGUMENTS, "the name '" + exchange.username() + "' is reserved");
    }
    Optional<SealedBox.Opened> opened =
        open(Base64.getDecoder().decode(sealedText), exchange.sealContext("register"));
    if (opened.isEmpty()) {
      return new Refused(ErrorCode.BAD_ARGUMENTS, "sealed: not for this server's key: AUTH again");
    }
    String content = new String(opened.get().plaintext(), StandardCharsets.UTF_8);
    if (exchange.mode() == Mode.DIRECTORY) {
      return Names.password(content)
          ? new NewAccount(exchange.username(), null, content)
          : new Refused(ErrorCode.BAD_ARGUMENTS, Names.PASSWORD_RULE);
    }
    return newKeys(content)
        .<Outcome>map(k -> new NewAccount(exchange.username(), k, null))
        .orElseGet(
            () ->
                new Refused(
                    ErrorCode.BAD_ARGUMENTS,
                    "keys: <salt> <iterations> <stored-key> <server-key>, at least "
                        + passwords.iterations()
                        + " iterations"));
  }

  /**
   * Whether an {@code UNREGISTER} proves the password: a SCRAM proof over the session's token
   * ({@link LoginProofs#unregisterMessage}), checked with the account's keys.
   */
  public boolean provesForUnregister(
      String username, String token, String proofText, InetSocketAddress from) {
    Optional<Scram.Keys> account = accounts.credentials(username);
    boolean right =
        account.isPresent()
            && Scram.verify(
                account.get().storedKey(),
                LoginProofs.unregisterMessage(username, token),
                Base64.getDecoder().decode(proofText));
    if (!right) {
      throttle.failed(from.getAddress().getHostAddress(), username);
    }
    return right;
  }

  /**
   * The password of a directory account in an {@code UNREGISTER}, sealed for this node and bound to
   * the session's token; empty if it was not sealed so.
   */
  public Optional<String> sealedForUnregister(String username, String token, String sealedText) {
    return open(
            Base64.getDecoder().decode(sealedText),
            LoginProofs.unregisterMessage(username, token).getBytes(StandardCharsets.UTF_8))
        .map(o -> new String(o.plaintext(), StandardCharsets.UTF_8))
        .filter(Names::password);
  }

  /** A directory account's password was wrong: counted like a wrong proof. */
  public void failed(InetSocketAddress from, String username) {
    throttle.failed(from.getAddress().getHostAddress(), username);
  }

  /**
   * A directory account's password was right, or an account was registered from this address: the
   * address is the account's from now on ({@link LoginThrottle}).
   */
  public void succeeded(String username, InetSocketAddress from) {
    throttle.succeeded(username, from.getAddress().getHostAddress());
  }

  /** The refusal of an {@code AUTH} while the most logins for the name are under way. */
  private static final Refused UNDER_WAY =
      new Refused(
          ErrorCode.RATE_LIMITED,
          "too many logins under way for this name: try again in "
              + PendingLogins.LIFETIME.toSeconds()
              + " s");

  private Optional<Refused> throttled(
      InetSocketAddress from, String username, AddressHistory history) {
    long wait = throttle.waitSeconds(from.getAddress().getHostAddress(), username, history);
    return wait > 0
        ? Optional.of(
            new Refused(
                ErrorCode.RATE_LIMITED, "too many failed logins: try again in " + wait + " s"))
        : Optional.empty();
  }

  private Optional<SealedBox.Opened> open(byte[] box, byte[] context) {
    try {
      return Optional.of(SealedBox.open(keys.nodeKey(), box, context));
    } catch (GeneralSecurityException | IllegalArgumentException notForUs) {
      return Optional.empty();
    }
  }

  /** The keys of a new account, {@code <salt> <iterations> <stored-key> <server-key>}, if sound. */
  private Optional<Scram.Keys> newKeys(String content) {
    String[] f = content.split(" ", -1);
    if (f.length != 4 || !f[1].matches("[0-9]{1,8}")) {
      return Optional.empty();
    }
    try {
      int iterations = Integer.parseInt(f[1]);
      byte[] salt = Scram.fromBase64(f[0]);
      if (iterations < passwords.iterations()
          || iterations > Scram.MAX_ITERATIONS
          || salt.length < 8
          || salt.length > 64) {
        return Optional.empty();
      }
      return Optional.of(
          new Scram.Keys(salt, iterations, Scram.fromBase64(f[2]), Scram.fromBase64(f[3])));
    } catch (IllegalArgumentException malformed) {
      return Optional.empty();
    }
  }

  private static String randomText() {
    byte[] bits = new byte[16];
    RANDOM.nextBytes(bits);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
  }
}
