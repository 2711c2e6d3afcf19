package org.kabar.server.accounts.control;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The {@code userPassword} value of an entry registered into the directory: a salted SHA-1 in the
 * {@code {SSHA}} scheme that OpenLDAP (and most directories) verify on bind by default. The node
 * never keeps a directory user's password, and never compares hashes it fetched: users sign in by
 * binding.
 */
public final class DirectoryPasswords {

  private static final SecureRandom RANDOM = new SecureRandom();

  private static final int SALT_BYTES = 8;

  private DirectoryPasswords() {}

  /** The {@code {SSHA}} value of a password with a fresh salt. */
  public static String ssha(String password) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return ssha(password, salt);
  }

  static String ssha(String password, byte[] salt) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      sha1.update(password.getBytes(StandardCharsets.UTF_8));
      sha1.update(salt);
      byte[] digest = sha1.digest();
      byte[] both = Arrays.copyOf(digest, digest.length + salt.length);
      System.arraycopy(salt, 0, both, digest.length, salt.length);
      return "{SSHA}" + Base64.getEncoder().encodeToString(both);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every Java platform", e);
    }
  }

  /** Whether an {@code {SSHA}} value is the hash of a password (for tests of registration). */
  public static boolean matches(String password, String value) {
    if (value == null || !value.startsWith("{SSHA}")) {
      return false;
    }
    byte[] both = Base64.getDecoder().decode(value.substring("{SSHA}".length()));
    if (both.length <= 20) {
      return false;
    }
    byte[] salt = Arrays.copyOfRange(both, 20, both.length);
    return MessageDigest.isEqual(
        ssha(password, salt).getBytes(StandardCharsets.US_ASCII),
        value.getBytes(StandardCharsets.US_ASCII));
  }
}
