package org.kabar.adapter.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.kabar.adapter.api.ClientDatagram;
import org.kabar.adapter.inbound.InboundQueue;

class ClientSocketTest {

  private static final String TOKEN = "AbCdEfGhIjKlMnOpQrSt_-";

  @Test
  void aSessionsRequestsAndEverythingElseGoToTwoQueues() throws Exception {
    InboundQueue<ClientDatagram> sessions = new InboundQueue<>("sessions", 64, 0, 1);
    InboundQueue<ClientDatagram> open = new InboundQueue<>("open", 64, 0, 1);
    try (ClientSocket socket =
            ClientSocket.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 65536);
        DatagramSocket client = new DatagramSocket()) {
      Thread reader = new Thread(() -> socket.receiveLoop(sessions, open));
      reader.start();
      for (String datagram :
          new String[] {
            "K1 1 ~" + TOKEN + " LIST", // a session's request
            "K1 2 ~" + TOKEN + " READ abc", // a session's, malformed: still the session's
            "K1 3 AUTH ayu cLiEnTnOnCe_0123456789", // a login
            "/@live?",
            "garbage"
          }) {
        byte[] bytes = datagram.getBytes(StandardCharsets.UTF_8);
        client.send(new DatagramPacket(bytes, bytes.length, socket.localAddress()));
      }
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (sessions.status().received() + open.status().received() < 5
          && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals(2, sessions.status().depth());
      assertEquals(3, open.status().depth());
    }
  }
}
