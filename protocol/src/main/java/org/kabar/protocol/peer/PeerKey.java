package org.kabar.protocol.peer;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.kabar.protocol.auth.Hkdf;

/**
 * The deployment key that every server of a deployment holds (the seed's Key, S3.0). Peers prove
 * they hold it with HMAC-SHA256 over fresh challenges, and each link's keys are derived from it;
 * the key itself never crosses the network.
 */
public final class PeerKey {

  /** Shortest key accepted, in characters. */
  public static final int MIN_LENGTH = 16;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] secret;

  /**
   * @throws IllegalArgumentException if the key is shorter than {@link #MIN_LENGTH}
   */
  public PeerKey(String key) {
    if (key == null || key.length() < MIN_LENGTH) {
      throw new IllegalArgumentException(
          "the cluster key must have at least " + MIN_LENGTH + " characters");
    }
    this.secret = key.getBytes(StandardCharsets.UTF_8);
  }

  /** A fresh challenge: 128 random bits in hex. */
  public static String nonce() {
    byte[] bits = new byte[16];
    RANDOM.nextBytes(bits);
    return HexFormat.of().formatHex(bits);
  }

  /**
   * The accepting side's proof (in its WELCOME): it holds the key, answers this HELLO's challenge,
   * and speaks to the opener named in it.
   */
  public String welcomeMac(HandshakeTranscript t) {
    return mac(
        "kabar-welcome|"
            + t.helloNonce()
            + "|"
            + t.welcomeNonce()
            + "|"
            + t.openerNode()
            + "|"
            + t.acceptorNode());
  }

  /** The opening side's proof (its PROOF), answering the accepting side's challenge. */
  public String proofMac(HandshakeTranscript t) {
    return mac(
        "kabar-proof|"
            + t.welcomeNonce()
            + "|"
            + t.helloNonce()
            + "|"
            + t.openerNode()
            + "|"
            + t.acceptorNode());
  }

  /** The opening side's ciphers for the link this handshake authenticated. */
  public LinkCiphers openerCiphers(HandshakeTranscript t) {
    return new LinkCiphers(
        new LinkCipher(linkKey(t, OPENER_TO_ACCEPTOR)),
        new LinkCipher(linkKey(t, ACCEPTOR_TO_OPENER)));
  }

  /** The accepting side's ciphers: the opener's, the other way round. */
  public LinkCiphers acceptorCiphers(HandshakeTranscript t) {
    return new LinkCiphers(
        new LinkCipher(linkKey(t, ACCEPTOR_TO_OPENER)),
        new LinkCipher(linkKey(t, OPENER_TO_ACCEPTOR)));
  }

  private static final String OPENER_TO_ACCEPTOR = "opener-to-acceptor";
  private static final String ACCEPTOR_TO_OPENER = "acceptor-to-opener";

  /**
   * One direction's AES-256 key: HKDF-SHA256 of the deployment key, salted with both challenges
   * (fresh keys for every link), its info naming the direction and both nodes (a key per direction,
   * so a frame cannot be reflected back to its sender).
   */
  byte[] linkKey(HandshakeTranscript t, String direction) {
    byte[] salt = (t.helloNonce() + "|" + t.welcomeNonce()).getBytes(StandardCharsets.UTF_8);
    String info = "kabar-link|" + direction + "|" + t.openerNode() + "|" + t.acceptorNode();
    return Hkdf.derive(salt, secret, info.getBytes(StandardCharsets.UTF_8), LINK_KEY_BYTES);
  }

  private static final int LINK_KEY_BYTES = 32;

  /** Compares a received proof with the expected one in constant time. */
  public static boolean same(String expected, String received) {
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII), received.getBytes(StandardCharsets.US_ASCII));
  }

  /** A short public fingerprint of the key, to show operators which key a server holds. */
  public String fingerprint() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret);
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private String mac(String text) {
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return HexFormat.of().formatHex(hmac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
    }
  }
}
