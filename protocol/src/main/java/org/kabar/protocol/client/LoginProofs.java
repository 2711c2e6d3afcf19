package org.kabar.protocol.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.kabar.protocol.auth.Hkdf;
import org.kabar.protocol.auth.Scram;
import org.kabar.protocol.auth.SealedBox;
import org.kabar.protocol.client.ClientReply.AuthChallenge;

/**
 * What a client sends to prove a password, computed from the server's {@code OK AUTH} (see
 * docs/PROTOCOL.md, "Logging in"), and the texts both sides bind their proofs and sealed boxes to.
 * The password itself is never sent: for an account whose keys the server holds, the client sends a
 * SCRAM-SHA-256 proof; for a directory account, and for a new account's keys, it seals what the
 * server must read for the node's public key.
 */
public final class LoginProofs {

  private static final SecureRandom RANDOM = new SecureRandom();

  private LoginProofs() {}

  /** A fresh client nonce for {@code AUTH}: 128 random bits, 22 characters of base64url. */
  public static String clientNonce() {
    byte[] bits = new byte[16];
    RANDOM.nextBytes(bits);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
  }

  /**
   * A proof to send in {@code PROVE}, and what the server must answer with to prove itself.
   *
   * @param proof the {@code PROVE} argument (base64)
   * @param expectedSignature the server signature a genuine server sends with {@code OK LOGIN}
   */
  public record Proof(String proof, String expectedSignature) {
    /** Whether the server's signature in {@code OK LOGIN} is the genuine one. */
    public boolean serverProved(String signature) {
      return MessageDigest.isEqual(
          expectedSignature.getBytes(StandardCharsets.US_ASCII),
          signature.getBytes(StandardCharsets.US_ASCII));
    }
  }

  /**
   * The proof of a password for a challenge: a SCRAM proof (one PBKDF2 at the challenge's cost), or
   * for a directory account the password sealed for the node's key.
   */
  public static Proof prove(
      String username, String password, String clientNonce, AuthChallenge challenge) {
    if (challenge.mode() == AuthChallenge.Mode.DIRECTORY) {
      byte[] context = sealContext("login", username, challenge.nonce());
      SealedBox.Sealed sealed = seal(challenge, password.getBytes(StandardCharsets.UTF_8), context);
      return new Proof(
          Scram.base64(sealed.box()), Scram.base64(Hkdf.hmac(sealed.confirmKey(), context)));
    }
    return prove(username, keys(password, challenge), clientNonce, challenge);
  }

  /** The SCRAM proof with keys derived before (for the same salt and cost). */
  public static Proof prove(
      String username, Scram.ClientKeys keys, String clientNonce, AuthChallenge challenge) {
    String message = authMessage(username, clientNonce, challenge);
    return new Proof(
        Scram.base64(Scram.clientProof(keys, message)),
        Scram.base64(Scram.serverSignature(keys.serverKey(), message)));
  }

  /** A client's SCRAM keys for a password at a challenge's salt and cost (one PBKDF2). */
  public static Scram.ClientKeys keys(String password, AuthChallenge challenge) {
    if (challenge.mode() != AuthChallenge.Mode.SCRAM) {
      throw new IllegalArgumentException("the server does not take SCRAM proofs");
    }
    return Scram.clientKeys(
        Scram.saltedPassword(password, Scram.fromBase64(challenge.salt()), challenge.iterations()));
  }

  /**
   * The {@code REGISTER} argument for a new account: its SCRAM keys (a new salt, at the cost the
   * server asked for), or for the directory the password, sealed for the node's key.
   */
  public static String registration(String username, String password, AuthChallenge challenge) {
    if (challenge.mode() == AuthChallenge.Mode.DIRECTORY) {
      return sealedFor(challenge, password, sealContext("register", username, challenge.nonce()));
    }
    return registration(username, Scram.keysFor(password, challenge.iterations()), challenge);
  }

  /** The {@code REGISTER} argument for keys made before. */
  public static String registration(String username, Scram.Keys keys, AuthChallenge challenge) {
    String content =
        String.join(
            " ",
            Scram.base64(keys.salt()),
            Integer.toString(keys.iterations()),
            Scram.base64(keys.storedKey()),
            Scram.base64(keys.serverKey()));
    return sealedFor(challenge, content, sealContext("register", username, challenge.nonce()));
  }

  /**
   * The {@code UNREGISTER} argument: a SCRAM proof over the session's token, or for a directory
   * account the password sealed for the node's key and bound to the token.
   */
  public static String unregister(
      String username, String token, String password, AuthChallenge challenge) {
    String message = unregisterMessage(username, token);
    if (challenge.mode() == AuthChallenge.Mode.DIRECTORY) {
      return sealedFor(challenge, password, message.getBytes(StandardCharsets.UTF_8));
    }
    return Scram.base64(Scram.clientProof(keys(password, challenge), message));
  }

  /** The SCRAM message of a challenge (RFC 5802's AuthMessage). */
  public static String authMessage(String username, String clientNonce, AuthChallenge challenge) {
    return Scram.authMessage(
        username, clientNonce, challenge.nonce(), challenge.salt(), challenge.iterations());
  }

  /** What a sealed box of the exchange is bound to: its purpose, the user and the nonce. */
  public static byte[] sealContext(String purpose, String username, String nonce) {
    return ("kabar-" + purpose + ",n=" + username + ",r=" + nonce).getBytes(StandardCharsets.UTF_8);
  }

  /** What an {@code UNREGISTER}'s proof signs: the user and the session's token. */
  public static String unregisterMessage(String username, String token) {
    return "kabar-unregister,n=" + username + ",r=" + token;
  }

  /** Whether a challenge's nonce starts with the client's own, as the server must make it. */
  public static boolean answers(AuthChallenge challenge, String clientNonce) {
    return challenge.nonce().startsWith(clientNonce)
        && challenge.nonce().length() > clientNonce.length();
  }

  private static String sealedFor(AuthChallenge challenge, String secret, byte[] context) {
    return Scram.base64(seal(challenge, secret.getBytes(StandardCharsets.UTF_8), context).box());
  }

  private static SealedBox.Sealed seal(AuthChallenge challenge, byte[] secret, byte[] context) {
    return SealedBox.seal(Scram.fromBase64(challenge.nodeKey()), secret, context);
  }
}
