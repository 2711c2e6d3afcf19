package org.kabar.server.node;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.Singleton;
import jakarta.resource.ConnectionFactoryDefinition;
import jakarta.resource.spi.TransactionSupport.TransactionSupportLevel;

/**
 * Defines the node's resources in one place: the Derby data source (embedded by default, a Derby
 * Network Server when KABAR_DB_CLASS names the client data source) and the adapter's outbound
 * connection factory. Values come from the environment (see docs/OPERATIONS.md). It is a (never
 * used) singleton bean because a full server reads resource definitions only from components.
 */
@DataSourceDefinition(
    name = NodeResources.DATA_SOURCE,
    className = "${ENV=KABAR_DB_CLASS:org.apache.derby.jdbc.EmbeddedDataSource}",
    databaseName = "${ENV=KABAR_DB_NAME:" + NodeResources.DEFAULT_DATABASE + "}",
    serverName = "${ENV=KABAR_DB_HOST:localhost}",
    user = "${ENV=KABAR_DB_USER:kabar}",
    password = "${ENV=KABAR_DB_PASSWORD:kabar}",
    properties = {
      "createDatabase=create",
      "portNumber=${ENV=KABAR_DB_PORT:1527}",
      // Payara's prepared-statement cache per connection: JPA's queries are not parsed again
      "fish.payara.statement-cache-size=${ENV=KABAR_DB_STATEMENT_CACHE:128}",
      "fish.payara.statement-cache-type= "
    },
    minPoolSize = 2,
    maxPoolSize = 40)
@ConnectionFactoryDefinition(
    name = NodeResources.SOCKETS,
    interfaceName = "org.kabar.adapter.api.MessengerConnectionFactory",
    resourceAdapter = NodeResources.RESOURCE_ADAPTER_REFERENCE,
    transactionSupport = TransactionSupportLevel.NoTransaction,
    maxPoolSize = 64)
@Singleton
public class NodeResources {

  /** The database when none is configured: embedded Derby under the working directory. */
  public static final String DEFAULT_DATABASE = "data/node1/db";

  /** JNDI name of the node's database. */
  public static final String DATA_SOURCE = "java:app/jdbc/kabar";

  /** JNDI name of the adapter's outbound connection factory. */
  public static final String SOCKETS = "java:app/kabar/sockets";

  /**
   * The resource adapter's name as message-driven beans give it: the RAR's file name on Payara
   * Micro; {@code kabar#jca-udp-adapter} for the adapter inside the EAR.
   */
  public static final String RESOURCE_ADAPTER = "${ENV=KABAR_RA_NAME:jca-udp-adapter}";

  /**
   * The resource adapter's name as resource definitions give it: the RAR's file name on Payara
   * Micro; {@code #jca-udp-adapter} (this application's own module) inside the EAR.
   */
  public static final String RESOURCE_ADAPTER_REFERENCE = "${ENV=KABAR_RA_REF:jca-udp-adapter}";

  /** For the container only: the class is a bean so that EJB jars in an EAR are scanned too. */
  protected NodeResources() {}
}
