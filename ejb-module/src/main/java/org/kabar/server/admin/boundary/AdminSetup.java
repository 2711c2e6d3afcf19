package org.kabar.server.admin.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.logging.Logger;
import org.kabar.server.node.NodeSettings;

/**
 * The console has no default password. A node started while no administrator exists logs a one-time
 * setup link; whoever can read the node's log opens it and creates the first administrator. The
 * link works once, and not at all once an administrator exists.
 */
@Singleton
@Startup
@DependsOn("EmbeddedDatabase")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class AdminSetup {

  private static final Logger LOG = Logger.getLogger(AdminSetup.class.getName());

  @EJB Administrators administrators;

  @Inject NodeSettings settings;

  private volatile String token;

  @PostConstruct
  void offerSetup() {
    if (administrators.any()) {
      return;
    }
    byte[] bits = new byte[18];
    new SecureRandom().nextBytes(bits);
    token = Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    LOG.warning(
        () ->
            "no administrator yet: create the first at http://"
                + settings.advertisedHost()
                + ":"
                + settings.httpPort()
                + "/admin/setup.xhtml?token="
                + token
                + " (this link works once)");
  }

  /** Whether the setup link is still open and this is its token. */
  public boolean open(String offered) {
    String expected = token;
    return expected != null
        && offered != null
        && MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.US_ASCII),
            offered.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Creates the first administrator through the setup link, which then closes.
   *
   * @return empty if created, else why not
   */
  public synchronized Optional<String> createFirst(String offered, String name, String password) {
    if (!open(offered) || administrators.any()) {
      token = null;
      return Optional.of("this setup link is no longer valid");
    }
    Optional<String> refusal = administrators.create(name, password, name);
    if (refusal.isEmpty()) {
      token = null;
      LOG.info(() -> "administrator " + name + " created through the setup link");
    }
    return refusal;
  }
}
