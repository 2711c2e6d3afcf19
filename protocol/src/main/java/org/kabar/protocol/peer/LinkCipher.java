package org.kabar.protocol.peer;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One direction of an authenticated link: AES-256-GCM under that direction's key, with the number
 * of frames sealed so far as each frame's nonce. The number is never sent: both sides count, so a
 * frame repeated, reordered, dropped or altered on the way does not open. Not thread-safe: one
 * sender, or one reader, at a time.
 */
public final class LinkCipher {

  /** Bytes the authentication tag adds to every frame. */
  public static final int TAG_BYTES = 16;

  private static final int NONCE_BYTES = 12;

  private final SecretKeySpec key;
  private final Cipher cipher;
  private long counter;

  LinkCipher(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("AES-256 needs a 32-byte key");
    }
    this.key = new SecretKeySpec(key, "AES");
    try {
      this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM is part of every Java platform", e);
    }
  }

  /** Frames sealed (or opened) so far: the next frame's number. */
  public long frames() {
    return counter;
  }

  /** Encrypts and authenticates the next frame's body, binding the associated data to it. */
  byte[] seal(byte[] associatedData, byte[] body) {
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, nextNonce());
      cipher.updateAAD(associatedData);
      return cipher.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM refused a valid key and nonce", e);
    }
  }

  /**
   * Checks and decrypts the next frame.
   *
   * @throws PeerProtocolException {@code bad-seal} if it is not the next frame the peer sealed, as
   *     it sealed it
   */
  byte[] open(byte[] associatedData, byte[] sealed) throws PeerProtocolException {
    long number = counter;
    try {
      cipher.init(Cipher.DECRYPT_MODE, key, nextNonce());
      cipher.updateAAD(associatedData);
      return cipher.doFinal(sealed);
    } catch (AEADBadTagException e) {
      throw new PeerProtocolException(
          "bad-seal",
          "frame "
              + number
              + " failed authentication: altered, repeated, reordered or not from the peer");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM refused a valid key and nonce", e);
    }
  }

  /** A 96-bit nonce: four zero bytes, then the frame's number; it moves on with every use. */
  private GCMParameterSpec nextNonce() {
    byte[] nonce = ByteBuffer.allocate(NONCE_BYTES).putInt(0).putLong(counter).array();
    counter = Math.incrementExact(counter); // a nonce never comes twice under one key
    return new GCMParameterSpec(TAG_BYTES * 8, nonce);
  }
}
