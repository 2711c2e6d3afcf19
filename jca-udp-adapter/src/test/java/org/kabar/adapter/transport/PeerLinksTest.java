package org.kabar.adapter.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.transaction.xa.XAResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kabar.adapter.api.PeerMessage;
import org.kabar.adapter.inbound.EndpointInvoker;
import org.kabar.adapter.inbound.InboundQueue;
import org.kabar.protocol.peer.PeerError;
import org.kabar.protocol.peer.PeerFrameDecoder;
import org.kabar.protocol.peer.PeerFrameEncoder;
import org.kabar.protocol.peer.PeerKey;
import org.kabar.protocol.peer.Ping;
import org.kabar.protocol.peer.Pong;

/** Two real peer endpoints over loopback TCP: the key handshake, then frames both ways. */
class PeerLinksTest {

  private static final String KEY = "a-deployment-key-for-tests";

  private final List<AutoCloseable> open = new ArrayList<>();

  /** One side: a listener, its links, and the frames it received. */
  private final class Side {
    final BlockingQueue<PeerMessage> received = new LinkedBlockingQueue<>();
    final PeerLinks links;
    final PeerServer server;
    final InboundQueue<PeerMessage> queue = new InboundQueue<>("test", 100, 1000);

    Side(String node, String key) throws IOException {
      WorkLauncher threads =
          (name, loop) -> {
            Thread thread = new Thread(loop, name);
            thread.setDaemon(true);
            thread.start();
          };
      queue.attach(
          new EndpointInvoker<>(new Endpoints(received), method(), (e, m) -> received.add(m)));
      threads.launch("worker", queue::work);
      links =
          new PeerLinks(
              queue,
              threads,
              new Handshake(node, key == null ? null : new PeerKey(key)),
              8,
              30_000,
              2_000);
      server = PeerServer.open(new InetSocketAddress("127.0.0.1", 0));
      threads.launch("acceptor", () -> server.acceptLoop(links));
      open.add(server);
      open.add(links);
      open.add(queue::stop);
    }

    InetSocketAddress address() {
      return server.localAddress();
    }
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable closeable : open) {
      closeable.close();
    }
  }

  @Test
  void peersHoldingTheSameKeyExchangeFramesBothWays() throws Exception {
    Side a = new Side("node-a", KEY);
    Side b = new Side("node-b", KEY);
    PeerLink link = a.links.dial(b.address());
    assertEquals("node-b", link.peerNode());
    link.send(new Ping(1));
    PeerMessage atB = b.received.poll(5, TimeUnit.SECONDS);
    assertEquals(new Ping(1), atB.frame());
    assertEquals("node-a", atB.peerNode(), "b knows who proved the key");
    b.links.get(atB.link()).send(new Pong(1));
    PeerMessage atA = a.received.poll(5, TimeUnit.SECONDS);
    assertEquals(new Pong(1), atA.frame());
    assertEquals("node-b", atA.peerNode());
    assertTrue(a.links.dial(b.address()) == link, "the open link is reused");
  }

  @Test
  void aPeerWithAnotherKeyIsRefused() throws Exception {
    Side a = new Side("node-a", "a-completely-different-key");
    Side b = new Side("node-b", KEY);
    IOException refused = assertThrows(IOException.class, () -> a.links.dial(b.address()));
    assertTrue(
        refused.getMessage().contains("does not hold the deployment key"), refused.getMessage());
    assertEquals(0, b.received.size());
  }

  @Test
  void framesBeforeTheHandshakeAreRefusedAndTheLinkClosed() throws Exception {
    Side b = new Side("node-b", KEY);
    try (Socket intruder = new Socket("127.0.0.1", b.address().getPort())) {
      ByteBuffer ping = PeerFrameEncoder.encode(new Ping(7));
      intruder.getOutputStream().write(ping.array(), 0, ping.limit());
      PeerError error =
          assertInstanceOf(PeerError.class, new PeerFrameDecoder(intruder.getInputStream()).next());
      assertEquals("not-authenticated", error.code());
      assertEquals(-1, intruder.getInputStream().read(), "closed after the refusal");
    }
    assertEquals(0, b.received.size(), "nothing reached the application");
  }

  @Test
  void aServerWithoutAKeyTakesNoPeers() throws Exception {
    Side a = new Side("node-a", KEY);
    Side lone = new Side("lone", null);
    IOException refused = assertThrows(IOException.class, () -> a.links.dial(lone.address()));
    assertTrue(refused.getMessage().contains("no cluster key"), refused.getMessage());
    assertThrows(IOException.class, () -> lone.links.dial(a.address()));
  }

  private static Method method() {
    try {
      return Object.class.getMethod("toString");
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e);
    }
  }

  /** An endpoint factory whose endpoints do nothing but let the invoker call them. */
  private record Endpoints(BlockingQueue<PeerMessage> sink) implements MessageEndpointFactory {
    @Override
    public MessageEndpoint createEndpoint(XAResource xa) {
      return new MessageEndpoint() {
        @Override
        public void beforeDelivery(Method method) {}

        @Override
        public void afterDelivery() {}

        @Override
        public void release() {}
      };
    }

    @Override
    public MessageEndpoint createEndpoint(XAResource xa, long timeout) {
      return createEndpoint(xa);
    }

    @Override
    public boolean isDeliveryTransacted(Method method) {
      return false;
    }

    @Override
    public String getActivationName() {
      return "test";
    }

    @Override
    public Class<?> getEndpointClass() {
      return Object.class;
    }
  }
}
