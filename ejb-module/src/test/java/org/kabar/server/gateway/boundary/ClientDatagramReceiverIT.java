package org.kabar.server.gateway.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kabar.server.ArquillianDeployments;

/**
 * Real datagrams into a real Payara Micro: the adapter reads them, the message-driven bean routes
 * them, and the reply comes back from the server's UDP port.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ClientDatagramReceiverIT {

  private static final int UDP_PORT = Integer.getInteger("kabar.test.udpPort", 14999);

  @Deployment(testable = false)
  static WebArchive deployment() {
    return ArquillianDeployments.node();
  }

  @Test
  void liveCheckIsAnsweredYesFromTheServerPort() throws IOException {
    try (DatagramSocket client = new DatagramSocket()) {
      DatagramPacket reply = exchange(client, "/@live?\n");
      assertEquals("yes\n", text(reply));
      assertEquals(UDP_PORT, reply.getPort(), "the reply leaves from the client port");
    }
  }

  @Test
  void unknownCommandIsAnsweredWithItsErrorCode() throws IOException {
    try (DatagramSocket client = new DatagramSocket()) {
      DatagramPacket reply = exchange(client, "please tell me the time, server\n");
      assertEquals("ERR 404 unknown command\n", text(reply));
    }
  }

  @Test
  void errorLargerThanATinyDatagramIsWithheldAndTheServerKeepsServing() throws IOException {
    try (DatagramSocket client = new DatagramSocket()) {
      client.setSoTimeout(1_000);
      send(client, "x");
      assertNull(receiveOrNull(client), "no reply larger than the request");
      assertEquals("yes\n", text(exchange(client, "/@live?")));
    }
  }

  private static DatagramPacket exchange(DatagramSocket client, String request) throws IOException {
    client.setSoTimeout(2_000);
    for (int attempt = 0; attempt < 5; attempt++) {
      send(client, request);
      DatagramPacket reply = receiveOrNull(client);
      if (reply != null) {
        return reply;
      }
    }
    throw new AssertionError("no reply to " + request.strip());
  }

  private static void send(DatagramSocket client, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    client.send(
        new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), UDP_PORT));
  }

  private static DatagramPacket receiveOrNull(DatagramSocket client) throws IOException {
    DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
    try {
      client.receive(packet);
      return packet;
    } catch (SocketTimeoutException e) {
      return null;
    }
  }

  private static String text(DatagramPacket packet) {
    return new String(
        packet.getData(), packet.getOffset(), packet.getLength(), StandardCharsets.UTF_8);
  }
}
