package org.kabar.server.accounts.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.kabar.protocol.auth.Hkdf;
import org.kabar.protocol.auth.Scram;
import org.kabar.protocol.auth.SealedBox;

/**
 * The secrets of this node's login exchange: the key pair clients seal secrets for (made at start,
 * kept in memory only), and the secret behind the salt an unknown username is answered with, so
 * that a name that does not exist looks like one that does. With a deployment key, every server
 * derives the same secret from it, so the salts of an unknown name agree across servers as real
 * ones do.
 */
@ApplicationScoped
public class LoginKeys {

  private static final byte[] UNKNOWN_SALT_INFO =
      "kabar-unknown-user-salt".getBytes(StandardCharsets.US_ASCII);

  @Inject
  @ConfigProperty(name = "kabar.cluster.key", defaultValue = " ")
  String clusterKey;

  private SealedBox.NodeKey nodeKey;
  private byte[] unknownSaltSecret;
  private String publicKeyText;

  @PostConstruct
  void make() {
    nodeKey = SealedBox.NodeKey.generate();
    publicKeyText = Scram.base64(nodeKey.publicKey());
    String key = clusterKey == null ? "" : clusterKey.strip();
    if (key.isEmpty()) {
      unknownSaltSecret = new byte[32];
      new SecureRandom().nextBytes(unknownSaltSecret);
    } else {
      unknownSaltSecret =
          Hkdf.derive(new byte[0], key.getBytes(StandardCharsets.UTF_8), UNKNOWN_SALT_INFO, 32);
    }
  }

  /** The node's key pair. */
  public SealedBox.NodeKey nodeKey() {
    return nodeKey;
  }

  /** The node's public key as the AUTH reply carries it (base64). */
  public String publicKey() {
    return publicKeyText;
  }

  /** The salt an unknown username is answered with: the same for the same name, every time. */
  public byte[] unknownUserSalt(String username) {
    return Arrays.copyOf(
        Hkdf.hmac(unknownSaltSecret, username.getBytes(StandardCharsets.UTF_8)), Scram.SALT_BYTES);
  }
}
