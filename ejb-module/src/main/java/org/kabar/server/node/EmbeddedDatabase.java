package org.kabar.server.node;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.SQLException;
import java.util.logging.Logger;
import org.apache.derby.jdbc.EmbeddedDataSource;

/**
 * Opens the database when the node starts and, for embedded Derby, shuts it down cleanly when the
 * node stops: no lock file is left behind and identity values do not jump on the next start.
 */
@Singleton
@Startup
public class EmbeddedDatabase {

  static final String EMBEDDED_CLASS = "org.apache.derby.jdbc.EmbeddedDataSource";

  private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class.getName());
  private static final String SHUTDOWN_OK = "08006";

  @Inject NodeSettings settings;

  @PersistenceContext EntityManager entityManager;

  @PostConstruct
  void open() {
    entityManager.createNativeQuery("VALUES 1").getSingleResult();
    LOG.info(
        () ->
            "Kabar database open: "
                + (settings.embeddedDatabase() ? "embedded Derby " : "Derby Network Server, ")
                + settings.databaseName());
  }

  @PreDestroy
  void shutdown() {
    if (!settings.embeddedDatabase()) {
      return;
    }
    EmbeddedDataSource dataSource = new EmbeddedDataSource();
    dataSource.setDatabaseName(settings.databaseName());
    dataSource.setShutdownDatabase("shutdown");
    try {
      dataSource.getConnection().close();
      LOG.warning("embedded Derby did not confirm its shutdown");
    } catch (SQLException e) {
      if (SHUTDOWN_OK.equals(e.getSQLState())) {
        LOG.info("Kabar database shut down cleanly");
      } else {
        LOG.warning("Kabar database shutdown failed: " + e.getMessage());
      }
    }
  }
}
