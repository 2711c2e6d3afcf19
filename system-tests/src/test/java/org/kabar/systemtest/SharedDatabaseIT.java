package org.kabar.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kabar.protocol.client.ClientReply.Delivery;
import org.kabar.systemtest.ChatClients.Chatter;

/**
 * Two nodes sharing one Derby Network Server (seed S3.0: one database server may serve several
 * messenger servers), each started with {@code --db network}.
 */
class SharedDatabaseIT {

  private static final String DB_HOST = "127.0.0.26";
  private static final int DB_PORT = 1527;
  private static final String URL = "//" + DB_HOST + ":" + DB_PORT + "/kabar";

  @Test
  void twoNodesShareOneNetworkServer() throws Exception {
    try (DerbyNetworkServer server =
        DerbyNetworkServer.start("derby-network-server", DB_HOST, DB_PORT)) {
      NodeProcess.Settings a =
          NodeProcess.Settings.on("shared-a", "127.0.0.27")
              .withPorts(4999, 5000, 18051)
              .withPeers("127.0.0.28:5000")
              .withNetworkDatabase(URL);
      NodeProcess.Settings b =
          NodeProcess.Settings.on("shared-b", "127.0.0.28")
              .withPorts(4999, 5000, 18052)
              .withPeers("127.0.0.27:5000")
              .withNetworkDatabase(URL);
      try (NodeProcess nodeA = NodeProcess.start(a);
          NodeProcess nodeB = NodeProcess.start(b)) {
        nodeA.assertReady();
        nodeB.assertReady();
        for (String host : List.of("127.0.0.27", "127.0.0.28")) {
          try (UdpClient client = new UdpClient(host, 4999)) {
            assertEquals("yes\n", client.request("/@live?"), host);
          }
        }
        assertEquals(
            List.of("127.0.0.27:5000", "127.0.0.28:5000"),
            serverList(),
            "both nodes wrote to the one shared database");
        chatAcrossTheNodes();
        nodeA.terminate();
        nodeB.terminate();
        assertEquals(0, nodeA.awaitExit(Duration.ofSeconds(20)), nodeA.tail());
        assertEquals(0, nodeB.awaitExit(Duration.ofSeconds(20)), nodeB.tail());
      }
    }
  }

  /** The chat tests' core on two nodes sharing one database: real time and offline. */
  private static void chatAcrossTheNodes() throws Exception {
    InetSocketAddress atA = new InetSocketAddress("127.0.0.27", 4999);
    InetSocketAddress atB = new InetSocketAddress("127.0.0.28", 4999);
    String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
    String ayu = "ayu-" + run;
    String budi = "budi-" + run;
    try (Chatter a = ChatClients.connect(atA);
        Chatter b = ChatClients.connect(atB)) {
      a.client().register(ayu, "secret-123");
      b.client().register(budi, "secret-123");
      a.client().login(ayu, "secret-123");
      b.client().login(budi, "secret-123");
      a.client().send(budi, "one database, two servers");
      Delivery shown = b.next(Duration.ofSeconds(10));
      assertEquals("one database, two servers", shown == null ? null : shown.text());
      b.client().logout();
      a.client().send(budi, "while you were away");
    }
    try (Chatter b = ChatClients.connect(atA)) {
      b.client().login(budi, "secret-123"); // now at the other server
      Delivery kept = b.next(Duration.ofSeconds(10));
      assertEquals("while you were away", kept == null ? null : kept.text());
      assertNull(b.next(Duration.ofSeconds(2)), "the first message is not shown again");
    }
  }

  private static List<String> serverList() throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection connection =
            DriverManager.getConnection("jdbc:derby:" + URL, "kabar", "kabar");
        Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT ADDRESS, PORT FROM KABAR.SERVER_LIST ORDER BY ADDRESS")) {
      while (result.next()) {
        rows.add(result.getString(1) + ":" + result.getInt(2));
      }
    }
    return rows;
  }
}
