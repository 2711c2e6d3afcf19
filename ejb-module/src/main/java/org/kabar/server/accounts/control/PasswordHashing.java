package org.kabar.server.accounts.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.kabar.protocol.auth.Scram;

/**
 * The cost of passwords, {@code kabar.password.iterations} (KABAR_PASSWORD_ITERATIONS, 600,000 by
 * default: OWASP's figure for PBKDF2-HMAC-SHA256): the SCRAM keys of a user's new password are
 * derived with it (by the client, or here for an administrator's reset), and the console's
 * administrators' passwords are hashed and checked with Jakarta Security's PBKDF2 (HMAC-SHA256,
 * 32-byte salt) at the same cost.
 */
@ApplicationScoped
public class PasswordHashing {

  /** The least cost Jakarta Security accepts. */
  static final int MIN_ITERATIONS = Scram.MIN_ITERATIONS;

  /** A hash of a random password: checked when the user is unknown, so timing reveals nothing. */
  private String decoy;

  @Inject Pbkdf2PasswordHash pbkdf2;

  @Inject
  @ConfigProperty(name = "kabar.password.iterations", defaultValue = "600000")
  int iterations;

  @PostConstruct
  void configure() {
    if (iterations < MIN_ITERATIONS || iterations > Scram.MAX_ITERATIONS) {
      throw new IllegalArgumentException(
          "kabar.password.iterations must be "
              + MIN_ITERATIONS
              + " to "
              + Scram.MAX_ITERATIONS
              + ", was "
              + iterations);
    }
    pbkdf2.initialize(
        Map.of(
            "Pbkdf2PasswordHash.Iterations", String.valueOf(iterations),
            "Pbkdf2PasswordHash.Algorithm", "PBKDF2WithHmacSHA256",
            "Pbkdf2PasswordHash.SaltSizeBytes", "32",
            "Pbkdf2PasswordHash.KeySizeBytes", "32"));
    decoy = pbkdf2.generate(Long.toHexString(System.nanoTime()).toCharArray());
  }

  /** How many PBKDF2 iterations a new password costs at least. */
  public int iterations() {
    return iterations;
  }

  /** The stored credentials of a user's new password (see {@link Credentials}). */
  public String credentials(String password) {
    return Credentials.format(Scram.keysFor(password, iterations));
  }

  /** A salted hash of the password, in the self-describing PBKDF2 format. */
  public String hash(String password) {
    return pbkdf2.generate(password.toCharArray());
  }

  /** Whether the password matches the hash; a null hash (unknown user) costs the same time. */
  public boolean matches(String password, String hash) {
    boolean ok;
    try {
      ok = pbkdf2.verify(password.toCharArray(), hash == null ? decoy : hash);
    } catch (IllegalArgumentException notOurs) {
      // e.g. the marker of an account whose password only the directory knows
      pbkdf2.verify(password.toCharArray(), decoy);
      ok = false;
    }
    return ok && hash != null;
  }
}
