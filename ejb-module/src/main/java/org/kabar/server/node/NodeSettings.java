package org.kabar.server.node;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The node's own settings, read through MicroProfile Config: a property {@code kabar.node.name} is
 * overridden by the environment variable {@code KABAR_NODE_NAME}, and so on.
 */
@ApplicationScoped
public class NodeSettings {

  @Inject
  @ConfigProperty(name = "kabar.node.name", defaultValue = "node1")
  String nodeName;

  @Inject
  @ConfigProperty(name = "kabar.db.class", defaultValue = EmbeddedDatabase.EMBEDDED_CLASS)
  String databaseClass;

  @Inject
  @ConfigProperty(name = "kabar.db.name", defaultValue = NodeResources.DEFAULT_DATABASE)
  String databaseName;

  /** The node's name, stored in Connected.Server for the users logged in here. */
  public String nodeName() {
    return nodeName;
  }

  /** True when the database runs inside this node rather than on a Derby Network Server. */
  public boolean embeddedDatabase() {
    return EmbeddedDatabase.EMBEDDED_CLASS.equals(databaseClass);
  }

  /** The Derby database name: a path for embedded Derby, a name on the network server. */
  public String databaseName() {
    return databaseName;
  }
}
