package org.kabar.protocol.peer;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF with HMAC-SHA256 (RFC 5869): derives a link's keys from the deployment key. */
final class Hkdf {

  private static final String HMAC = "HmacSHA256";
  private static final int HASH_BYTES = 32;

  private Hkdf() {}

  /** The pseudorandom key: HMAC(salt, input key material). */
  static byte[] extract(byte[] salt, byte[] inputKey) {
    // RFC 5869: a missing salt is a string of zeros as long as the hash
    return hmac(salt.length == 0 ? new byte[HASH_BYTES] : salt, inputKey);
  }

  /** {@code length} bytes of output keying material for {@code info}: T(1) | T(2) | ... */
  static byte[] expand(byte[] pseudorandomKey, byte[] info, int length) {
    if (length < 1 || length > 255 * HASH_BYTES) {
      throw new IllegalArgumentException("HKDF output of " + length + " bytes");
    }
    byte[] out = new byte[length];
    byte[] previous = new byte[0];
    for (int block = 1, done = 0; done < length; block++) {
      byte[] input = new byte[previous.length + info.length + 1];
      System.arraycopy(previous, 0, input, 0, previous.length);
      System.arraycopy(info, 0, input, previous.length, info.length);
      input[input.length - 1] = (byte) block;
      previous = hmac(pseudorandomKey, input);
      int take = Math.min(HASH_BYTES, length - done);
      System.arraycopy(previous, 0, out, done, take);
      done += take;
    }
    return out;
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
    }
  }
}
