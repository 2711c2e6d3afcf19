package org.kabar.protocol.auth;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF with HMAC-SHA256 (RFC 5869): derives keys from a shared secret. */
public final class Hkdf {

  private static final int HASH_BYTES = 32;

  private Hkdf() {}

  /**
   * Extracts a pseudorandom key from the input key material and expands it to {@code length} bytes
   * bound to {@code info}.
   */
  public static byte[] derive(byte[] salt, byte[] inputKey, byte[] info, int length) {
    if (length < 1 || length > 255 * HASH_BYTES) {
      throw new IllegalArgumentException("HKDF output length out of range: " + length);
    }
    byte[] prk = hmac(salt.length == 0 ? new byte[HASH_BYTES] : salt, inputKey);
    byte[] out = new byte[length];
    byte[] block = new byte[0];
    for (int done = 0, counter = 1; done < length; counter++) {
      byte[] input = new byte[block.length + info.length + 1];
      System.arraycopy(block, 0, input, 0, block.length);
      System.arraycopy(info, 0, input, block.length, info.length);
      input[input.length - 1] = (byte) counter;
      block = hmac(prk, input);
      int take = Math.min(block.length, length - done);
      System.arraycopy(block, 0, out, done, take);
      done += take;
    }
    return out;
  }

  /** HMAC-SHA256 of data under a key. */
  public static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every Java platform", e);
    }
  }
}
