package org.kabar.systemtest;

import org.junit.jupiter.api.AfterAll;

/**
 * The chat tests again, with the node storing in a Derby Network Server instead of its embedded
 * database (seed S3.0: one database server may serve several messenger servers).
 */
class MessengerOnSharedDatabaseIT extends MessengerIT {

  private static final String DB_HOST = "127.0.0.47";
  private static final int DB_PORT = 1527;

  private DerbyNetworkServer database;

  @Override
  String host() {
    return "127.0.0.46";
  }

  @Override
  NodeProcess.Settings node(String host) throws Exception {
    database = DerbyNetworkServer.start("messenger-network-db", DB_HOST, DB_PORT);
    return NodeProcess.Settings.on("messenger-shared", host)
        .withPorts(4999, 5000, 18062)
        .withNetworkDatabase(DerbyNetworkServer.url(DB_HOST, DB_PORT));
  }

  @Override
  @AfterAll // an override is not run unless annotated again
  void stopNode() throws Exception {
    try {
      super.stopNode();
    } finally {
      if (database != null) {
        database.close();
      }
    }
  }
}
