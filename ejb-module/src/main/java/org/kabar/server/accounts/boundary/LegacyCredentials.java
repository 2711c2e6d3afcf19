package org.kabar.server.accounts.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.util.logging.Logger;

/**
 * At start, converts the password hashes an earlier version stored into SCRAM keys ({@link
 * Accounts#convertLegacyCredentials}): the old hash was all a client needed to log in.
 */
@Singleton
@Startup
@DependsOn("EmbeddedDatabase")
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class LegacyCredentials {

  private static final Logger LOG = Logger.getLogger(LegacyCredentials.class.getName());

  @EJB Accounts accounts;

  @PostConstruct
  void convert() {
    try {
      int converted = accounts.convertLegacyCredentials();
      if (converted > 0) {
        LOG.info(() -> "converted the password hashes of " + converted + " accounts to SCRAM keys");
      }
    } catch (RuntimeException e) {
      LOG.warning("the accounts' password hashes were not converted: " + e.getMessage());
    }
  }
}
