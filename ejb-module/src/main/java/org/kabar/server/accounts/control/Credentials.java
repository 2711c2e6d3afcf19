package org.kabar.server.accounts.control;

import java.util.Base64;
import java.util.Optional;
import org.kabar.protocol.auth.Scram;

/**
 * The stored form of an account's credentials: {@code
 * SCRAM-SHA-256:<iterations>:<salt>:<stored-key>:<server-key>} (base64), the keys a SCRAM proof is
 * checked with. An earlier version stored {@code PBKDF2WithHmacSHA256:<iterations>:<salt>:<hash>}
 * (Jakarta Security's format); that hash is SCRAM's salted password, so it converts to the same
 * keys without the password and is never kept: it would let its reader log in.
 */
public final class Credentials {

  /** Prefix of the format an earlier version stored. */
  static final String LEGACY = "PBKDF2WithHmacSHA256";

  private Credentials() {}

  /** The stored text of a credential. */
  public static String format(Scram.Keys keys) {
    Base64.Encoder base64 = Base64.getEncoder();
    return String.join(
        ":",
        Scram.MECHANISM,
        Integer.toString(keys.iterations()),
        base64.encodeToString(keys.salt()),
        base64.encodeToString(keys.storedKey()),
        base64.encodeToString(keys.serverKey()));
  }

  /**
   * The keys of a stored credential, in either format; empty for anything else (the marker of an
   * account whose password only the directory knows, a damaged value).
   */
  public static Optional<Scram.Keys> parse(String stored) {
    if (stored == null) {
      return Optional.empty();
    }
    String[] f = stored.split(":", -1);
    try {
      Base64.Decoder base64 = Base64.getDecoder();
      if (f.length == 5 && f[0].equals(Scram.MECHANISM)) {
        return Optional.of(
            new Scram.Keys(
                base64.decode(f[2]), iterations(f[1]), base64.decode(f[3]), base64.decode(f[4])));
      }
      if (f.length == 4 && f[0].equals(LEGACY)) {
        byte[] salted = base64.decode(f[3]);
        if (salted.length != Scram.KEY_BYTES) {
          return Optional.empty(); // another key size: not a SCRAM-SHA-256 salted password
        }
        return Optional.of(Scram.keys(salted, base64.decode(f[2]), iterations(f[1])));
      }
    } catch (IllegalArgumentException damaged) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** Whether a stored credential is in the earlier format, to be converted. */
  public static boolean legacy(String stored) {
    return stored != null && stored.startsWith(LEGACY + ":");
  }

  /**
   * The credential in today's format: an earlier one converted, anything else (today's format, the
   * directory marker) as it is.
   */
  public static String current(String stored) {
    return legacy(stored) ? parse(stored).map(Credentials::format).orElse(stored) : stored;
  }

  private static int iterations(String text) {
    int iterations = Integer.parseInt(text);
    if (iterations < Scram.MIN_ITERATIONS || iterations > Scram.MAX_ITERATIONS) {
      throw new IllegalArgumentException("iterations out of range");
    }
    return iterations;
  }
}
