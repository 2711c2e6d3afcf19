package org.kabar.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.security.spec.XECPrivateKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A box only a node can open: the sender makes a fresh X25519 key pair, agrees a secret with the
 * node's public key, derives two keys from it with HKDF and encrypts with AES-256-GCM under the
 * first. The box is the sender's public key followed by the ciphertext; a context (the exchange's
 * nonce and user) is authenticated with it, so a box cannot be replayed into another exchange. The
 * second key lets the node prove back that it opened the box.
 */
public final class SealedBox {

  /** Bytes of an X25519 public key. */
  public static final int PUBLIC_KEY_BYTES = 32;

  private static final int TAG_BITS = 128;

  /** The X.509 header of an X25519 public key, followed by its 32 raw bytes. */
  private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b656e032100");

  private static final byte[] INFO = "kabar-sealed-box".getBytes(StandardCharsets.US_ASCII);

  private SealedBox() {}

  /** A node's key pair; the public half is told to clients in the login exchange. */
  public static final class NodeKey {
    private final PrivateKey privateKey;
    private final byte[] publicKey;

    private NodeKey(KeyPair pair) {
      this.privateKey = pair.getPrivate();
      this.publicKey = raw(pair.getPublic());
    }

    /** A new random key pair. */
    public static NodeKey generate() {
      return new NodeKey(newPair());
    }

    /**
     * The key pair of a given private key: its 32 raw bytes, as RFC 7748 writes an X25519 scalar.
     * For the worked examples of docs/PROTOCOL.md, which anyone can check byte for byte.
     */
    public static NodeKey fromPrivate(byte[] raw) {
      return new NodeKey(pairOf(raw));
    }

    /** The public key's 32 raw bytes. */
    public byte[] publicKey() {
      return publicKey.clone();
    }
  }

  /** A sealed box and the key the node's proof back is made with. */
  public record Sealed(byte[] box, byte[] confirmKey) {}

  /** What an opened box held, and the key to prove the opening with. */
  public record Opened(byte[] plaintext, byte[] confirmKey) {}

  /**
   * Seals a secret for the holder of a public key.
   *
   * @throws IllegalArgumentException if the public key is not a usable X25519 key
   */
  public static Sealed seal(byte[] recipientPublicKey, byte[] plaintext, byte[] context) {
    return seal(recipientPublicKey, plaintext, context, newPair());
  }

  /**
   * Seals with a given ephemeral private key (32 raw bytes) instead of a fresh one: only for the
   * worked examples of docs/PROTOCOL.md. A real box must never reuse an ephemeral key.
   */
  public static Sealed sealForExample(
      byte[] recipientPublicKey, byte[] plaintext, byte[] context, byte[] ephemeralPrivate) {
    return seal(recipientPublicKey, plaintext, context, pairOf(ephemeralPrivate));
  }

  private static Sealed seal(
      byte[] recipientPublicKey, byte[] plaintext, byte[] context, KeyPair ephemeral) {
    if (recipientPublicKey.length != PUBLIC_KEY_BYTES) {
      throw new IllegalArgumentException("an X25519 public key has 32 bytes");
    }
    byte[] ephemeralPublic = raw(ephemeral.getPublic());
    try {
      byte[][] keys =
          keys(
              agree(ephemeral.getPrivate(), publicKey(recipientPublicKey)),
              ephemeralPublic,
              recipientPublicKey);
      byte[] ciphertext = cipher(Cipher.ENCRYPT_MODE, keys[0], context).doFinal(plaintext);
      byte[] box = new byte[PUBLIC_KEY_BYTES + ciphertext.length];
      System.arraycopy(ephemeralPublic, 0, box, 0, PUBLIC_KEY_BYTES);
      System.arraycopy(ciphertext, 0, box, PUBLIC_KEY_BYTES, ciphertext.length);
      return new Sealed(box, keys[1]);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot seal for this key: " + e.getMessage(), e);
    }
  }

  /**
   * Opens a box sealed for this node.
   *
   * @throws GeneralSecurityException if the box was not sealed for this key and context, or was
   *     altered
   */
  public static Opened open(NodeKey node, byte[] box, byte[] context)
      throws GeneralSecurityException {
    if (box.length < PUBLIC_KEY_BYTES + TAG_BITS / 8) {
      throw new GeneralSecurityException("box too short");
    }
    byte[] senderPublic = Arrays.copyOf(box, PUBLIC_KEY_BYTES);
    byte[][] keys =
        keys(agree(node.privateKey, publicKey(senderPublic)), senderPublic, node.publicKey);
    byte[] plaintext =
        cipher(Cipher.DECRYPT_MODE, keys[0], context)
            .doFinal(box, PUBLIC_KEY_BYTES, box.length - PUBLIC_KEY_BYTES);
    return new Opened(plaintext, keys[1]);
  }

  private static byte[][] keys(byte[] shared, byte[] senderPublic, byte[] recipientPublic) {
    byte[] salt = new byte[2 * PUBLIC_KEY_BYTES];
    System.arraycopy(senderPublic, 0, salt, 0, PUBLIC_KEY_BYTES);
    System.arraycopy(recipientPublic, 0, salt, PUBLIC_KEY_BYTES, PUBLIC_KEY_BYTES);
    byte[] both = Hkdf.derive(salt, shared, INFO, 64);
    return new byte[][] {Arrays.copyOf(both, 32), Arrays.copyOfRange(both, 32, 64)};
  }

  /** A zero nonce is safe: every box has a key of its own, from a fresh ephemeral key pair. */
  private static Cipher cipher(int mode, byte[] key, byte[] context)
      throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, new byte[12]));
    cipher.updateAAD(context);
    return cipher;
  }

  private static byte[] agree(PrivateKey own, PublicKey other) throws GeneralSecurityException {
    KeyAgreement agreement = KeyAgreement.getInstance("X25519");
    agreement.init(own);
    agreement.doPhase(other, true);
    byte[] shared = agreement.generateSecret();
    if (Arrays.equals(shared, new byte[shared.length])) {
      throw new GeneralSecurityException("a key of small order"); // no secret was agreed
    }
    return shared;
  }

  private static KeyPair newPair() {
    try {
      return KeyPairGenerator.getInstance("X25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("X25519 is part of every Java 11+ platform", e);
    }
  }

  /** The X25519 base point, u = 9: a private key agreed with it gives its public key. */
  private static final byte[] BASE_POINT = new byte[PUBLIC_KEY_BYTES];

  static {
    BASE_POINT[0] = 9;
  }

  private static KeyPair pairOf(byte[] rawPrivate) {
    if (rawPrivate.length != PUBLIC_KEY_BYTES) {
      throw new IllegalArgumentException("an X25519 private key has 32 bytes");
    }
    try {
      PrivateKey privateKey =
          KeyFactory.getInstance("X25519")
              .generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, rawPrivate));
      byte[] publicRaw = agree(privateKey, publicKey(BASE_POINT));
      return new KeyPair(publicKey(publicRaw), privateKey);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an X25519 private key: " + e.getMessage(), e);
    }
  }

  private static PublicKey publicKey(byte[] raw) throws GeneralSecurityException {
    byte[] encoded = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + PUBLIC_KEY_BYTES);
    System.arraycopy(raw, 0, encoded, X509_PREFIX.length, PUBLIC_KEY_BYTES);
    return KeyFactory.getInstance("X25519").generatePublic(new X509EncodedKeySpec(encoded));
  }

  private static byte[] raw(PublicKey key) {
    byte[] encoded = key.getEncoded();
    return Arrays.copyOfRange(encoded, encoded.length - PUBLIC_KEY_BYTES, encoded.length);
  }
}
