package org.kabar.protocol.client;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a client and the servers both derive from a session token. Servers keep only the token's
 * SHA-256 (its hash); a server that takes a session over proves it holds that hash when it tells
 * the client to move, so nobody who merely knows the client's address can send it elsewhere.
 */
public final class SessionProofs {

  private SessionProofs() {}

  /** The SHA-256 of a token, as 64 lowercase hex digits: what servers store and exchange. */
  public static String tokenHash(String token) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
  }

  /**
   * The proof in {@code MOVED <server> <proof>}: HMAC-SHA256 of the server's {@code host:port},
   * keyed with the token's hash, as 22 characters of base64url.
   */
  public static String moveProof(String tokenHash, String server) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(HexFormat.of().parseHex(tokenHash), "HmacSHA256"));
      byte[] sum = mac.doFinal(server.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(sum).substring(0, 22);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every Java platform", e);
    }
  }

  /** Whether a move notice is genuine for the session holding this token. */
  public static boolean validMove(String token, String server, String proof) {
    return MessageDigest.isEqual(
        moveProof(tokenHash(token), server).getBytes(StandardCharsets.US_ASCII),
        proof.getBytes(StandardCharsets.US_ASCII));
  }
}
