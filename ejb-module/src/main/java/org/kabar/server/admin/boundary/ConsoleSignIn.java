package org.kabar.server.admin.boundary;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.Optional;
import org.kabar.server.admin.control.PasswordCheckLimit;
import org.kabar.server.admin.control.SignInThrottle;
import org.kabar.server.admin.control.SignInThrottle.Refusal;

/**
 * Checks a sign-in to the console: throttled per address and per name ({@link SignInThrottle}),
 * with a bounded number of password checks at once ({@link PasswordCheckLimit}); every failure and
 * the first refusal of each wait go to the audit log.
 */
@Stateless
// no transaction while waiting for a check or hashing: each audit entry commits on its own
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ConsoleSignIn {

  /** What became of an attempt. */
  public enum Outcome {
    /** The password is right. */
    ADMITTED,
    /** Wrong name or password. */
    WRONG,
    /** Refused unchecked: too many failures of this address or name; wait. */
    THROTTLED,
    /** Refused unchecked: too many checks running; try again in a moment. */
    BUSY
  }

  /**
   * An attempt's outcome.
   *
   * @param waitSeconds for {@link Outcome#THROTTLED}, how long to wait; else 0
   */
  public record Result(Outcome outcome, long waitSeconds) {}

  @EJB Administrators administrators;

  @Inject SignInThrottle throttle;

  @Inject PasswordCheckLimit checks;

  /** Checks the name and password typed at this address. */
  public Result attempt(String name, String password, String address) {
    Optional<Refusal> refusal = throttle.check(address, name);
    if (refusal.isPresent()) {
      Refusal wait = refusal.get();
      if (wait.first()) {
        administrators.record(
            who(name),
            "sign-in from "
                + address
                + " refused unchecked for "
                + wait.waitSeconds()
                + " s: "
                + wait.failures()
                + " failed sign-ins of "
                + wait.what()
                + " (further refusals of this wait are not logged)");
      }
      return new Result(Outcome.THROTTLED, wait.waitSeconds());
    }
    Optional<Boolean> right = checks.run(() -> administrators.verify(name, password));
    if (right.isEmpty()) {
      return new Result(Outcome.BUSY, 0);
    }
    if (!right.get()) {
      throttle.failed(address, name);
      administrators.record(
          who(name), "failed sign-in from " + address + ": wrong name or password");
      return new Result(Outcome.WRONG, 0);
    }
    throttle.succeeded(address, name);
    return new Result(Outcome.ADMITTED, 0);
  }

  /** Records a sign-in the container completed. */
  public void signedIn(String name, String address) {
    administrators.record(name, "signed in from " + address);
  }

  // the audit log's "who" holds 32 characters; a sign-in names whoever it claims to be
  private static String who(String name) {
    String claimed = name == null || name.isBlank() ? "?" : name.strip();
    return claimed.length() > 32 ? claimed.substring(0, 32) : claimed;
  }
}
