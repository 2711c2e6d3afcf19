package org.kabar.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * SCRAM-SHA-256 (RFC 5802, RFC 7677) as the login exchange uses it: the client derives its keys
 * from the password with PBKDF2, the server keeps only {@code StoredKey} and {@code ServerKey}, and
 * each side proves itself to the other over a message made of both sides' nonces. The server's work
 * per attempt is a few HMACs; the password never leaves the client.
 */
public final class Scram {

  /** The name of the mechanism, first word of a stored credential. */
  public static final String MECHANISM = "SCRAM-SHA-256";

  /** Bytes of every key and proof: the size of a SHA-256 digest. */
  public static final int KEY_BYTES = 32;

  /** Bytes of salt a new credential gets. */
  public static final int SALT_BYTES = 16;

  /** Fewest PBKDF2 iterations either side accepts (the least Jakarta Security accepts). */
  public static final int MIN_ITERATIONS = 1024;

  /** Most PBKDF2 iterations a client does for a server: more would let a server stall it. */
  public static final int MAX_ITERATIONS = 10_000_000;

  private static final SecureRandom RANDOM = new SecureRandom();

  private Scram() {}

  /** What the server stores for an account, and what a client derives from the password. */
  public record Keys(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {
    public Keys {
      salt = salt.clone();
      storedKey = storedKey.clone();
      serverKey = serverKey.clone();
      if (storedKey.length != KEY_BYTES || serverKey.length != KEY_BYTES) {
        throw new IllegalArgumentException("SCRAM keys are " + KEY_BYTES + " bytes");
      }
    }

    @Override
    public byte[] salt() {
      return salt.clone();
    }

    @Override
    public byte[] storedKey() {
      return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
      return serverKey.clone();
    }
  }

  /** A client's keys for one account: what it proves with and checks the server's proof with. */
  public record ClientKeys(byte[] clientKey, byte[] serverKey) {
    public ClientKeys {
      clientKey = clientKey.clone();
      serverKey = serverKey.clone();
    }

    @Override
    public byte[] clientKey() {
      return clientKey.clone();
    }

    @Override
    public byte[] serverKey() {
      return serverKey.clone();
    }

    /** The hash of the client key, as the server stores it. */
    public byte[] storedKey() {
      return sha256(clientKey);
    }
  }

  /** A fresh random salt. */
  public static byte[] newSalt() {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return salt;
  }

  /** {@code SaltedPassword = Hi(password, salt, i)}: PBKDF2-HMAC-SHA256 of the UTF-8 password. */
  public static byte[] saltedPassword(String password, byte[] salt, int iterations) {
    if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException("iterations out of range: " + iterations);
    }
    try {
      PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, KEY_BYTES * 8);
      try {
        return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
            .generateSecret(spec)
            .getEncoded();
      } finally {
        spec.clearPassword();
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every Java platform", e);
    }
  }

  /** The client's keys from a salted password. */
  public static ClientKeys clientKeys(byte[] saltedPassword) {
    return new ClientKeys(
        Hkdf.hmac(saltedPassword, ascii("Client Key")),
        Hkdf.hmac(saltedPassword, ascii("Server Key")));
  }

  /** What the server stores, from a salted password. */
  public static Keys keys(byte[] saltedPassword, byte[] salt, int iterations) {
    ClientKeys client = clientKeys(saltedPassword);
    return new Keys(salt, iterations, client.storedKey(), client.serverKey());
  }

  /** What the server stores for a password: a new salt and the keys. */
  public static Keys keysFor(String password, int iterations) {
    byte[] salt = newSalt();
    return keys(saltedPassword(password, salt, iterations), salt, iterations);
  }

  /**
   * The message both proofs sign, as RFC 5802 builds it from its three messages (no channel
   * binding: {@code c=biws}).
   *
   * @param salt the salt in the text form sent (base64)
   */
  public static String authMessage(
      String user, String clientNonce, String nonce, String salt, int iterations) {
    return "n="
        + user
        + ",r="
        + clientNonce
        + ",r="
        + nonce
        + ",s="
        + salt
        + ",i="
        + iterations
        + ",c=biws,r="
        + nonce;
  }

  /** {@code ClientProof = ClientKey XOR HMAC(StoredKey, AuthMessage)}. */
  public static byte[] clientProof(ClientKeys keys, String authMessage) {
    return xor(keys.clientKey(), Hkdf.hmac(keys.storedKey(), utf8(authMessage)));
  }

  /**
   * Whether a proof shows the client holds the key behind {@code storedKey}: the client key it
   * reveals hashes to the stored key. Compared in constant time.
   */
  public static boolean verify(byte[] storedKey, String authMessage, byte[] proof) {
    if (proof.length != KEY_BYTES) {
      return false;
    }
    byte[] clientKey = xor(proof, Hkdf.hmac(storedKey, utf8(authMessage)));
    return MessageDigest.isEqual(sha256(clientKey), storedKey);
  }

  /** {@code ServerSignature = HMAC(ServerKey, AuthMessage)}: the server proves itself back. */
  public static byte[] serverSignature(byte[] serverKey, String authMessage) {
    return Hkdf.hmac(serverKey, utf8(authMessage));
  }

  /** Whether a server signature is right for these keys, in constant time. */
  public static boolean verifyServer(ClientKeys keys, String authMessage, byte[] signature) {
    return MessageDigest.isEqual(serverSignature(keys.serverKey(), authMessage), signature);
  }

  /** Base64 (standard, padded) as SCRAM writes its binary values. */
  public static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /**
   * Decodes a base64 value.
   *
   * @throws IllegalArgumentException if it is not base64
   */
  public static byte[] fromBase64(String text) {
    return Base64.getDecoder().decode(text);
  }

  public static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
  }

  private static byte[] xor(byte[] a, byte[] b) {
    byte[] out = new byte[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = (byte) (a[i] ^ b[i]);
    }
    return out;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
