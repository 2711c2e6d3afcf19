package org.kabar.adapter.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import javax.transaction.xa.XAResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kabar.adapter.api.PeerLinkBusy;
import org.kabar.adapter.api.PeerLiveness;
import org.kabar.adapter.api.PeerMessage;
import org.kabar.adapter.inbound.EndpointInvoker;
import org.kabar.adapter.inbound.InboundQueue;
import org.kabar.protocol.peer.Claim;
import org.kabar.protocol.peer.MessageRecord;
import org.kabar.protocol.peer.PeerError;
import org.kabar.protocol.peer.PeerFrameDecoder;
import org.kabar.protocol.peer.PeerFrameEncoder;
import org.kabar.protocol.peer.PeerKey;
import org.kabar.protocol.peer.Ping;
import org.kabar.protocol.peer.Pong;
import org.kabar.protocol.peer.SealedFrameDecoder;
import org.kabar.protocol.peer.SealedFrameEncoder;

/** Two real peer endpoints over loopback TCP: the key handshake, then frames both ways. */
class PeerLinksTest {

  private static final String KEY = "a-deployment-key-for-tests";

  private final List<AutoCloseable> open = new ArrayList<>();

  /** One side: a listener, its links, and the frames it received. */
  private final class Side {
    final BlockingQueue<PeerMessage> received = new LinkedBlockingQueue<>();
    final PeerLinks links;
    final PeerServer server;
    final InboundQueue<PeerMessage> queue = new InboundQueue<>("test", 100, 1000, 1);
    final InboundQueue<PeerMessage> claims = new InboundQueue<>("test-claims", 100, 1000, 1);
    final PeerBeats beats;
    final EndpointInvoker<List<PeerMessage>> invoker;

    Side(String node, String key) throws IOException {
      this(node, key, new PeerLimits(8, 4, 2, 5_000, 30_000, 2_000));
    }

    Side(String node, String key, PeerLimits limits) throws IOException {
      WorkLauncher threads =
          (name, loop) -> {
            Thread thread = new Thread(loop, name);
            thread.setDaemon(true);
            thread.start();
          };
      invoker =
          new EndpointInvoker<>(
              new Endpoints(received), method(), (e, m) -> received.add(m.get(0)));
      queue.attach(invoker);
      claims.attach(invoker);
      threads.launch("worker", queue::work);
      threads.launch("claims-worker", claims::work);
      AtomicReference<PeerLinks> dialler = new AtomicReference<>();
      beats =
          new PeerBeats(
              System.currentTimeMillis(),
              peer -> dialler.get().dialAlone(peer),
              threads,
              System::nanoTime);
      links =
          new PeerLinks(
              new PeerLink.Lanes(queue, claims, claims, queue, beats::heard),
              threads,
              new Handshake(node, key == null ? null : new PeerKey(key)),
              limits);
      dialler.set(links);
      server = PeerServer.open(new InetSocketAddress("127.0.0.1", 0));
      threads.launch("acceptor", () -> server.acceptLoop(links));
      open.add(server);
      open.add(beats);
      open.add(links);
      open.add(queue::stop);
      open.add(claims::stop);
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

  /** The view of one watched address once it satisfies the condition, waiting up to 10 s. */
  private static PeerLiveness awaitView(Side side, Predicate<PeerLiveness> condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<PeerLiveness> view = side.beats.view();
    while (System.nanoTime() < deadline) {
      view = side.beats.view();
      for (PeerLiveness peer : view) {
        if (condition.test(peer)) {
          return peer;
        }
      }
      Thread.sleep(20); // polls the view: the condition awaited
    }
    throw new AssertionError(what + ": " + view);
  }

  @Test
  void peersThatWatchEachOtherHearTheirBeatsAndADeadOneIsSeenAtOnce() throws Exception {
    Side a = new Side("node-a", KEY);
    Side b = new Side("node-b", KEY);
    a.beats.watch(List.of(b.address()));
    b.beats.watch(List.of(a.address()));
    PeerLiveness bSeen =
        awaitView(a, p -> p.linkUp() && p.everHeard() && p.silentMillis() < 1_500, "a hears b");
    assertEquals("node-b", bSeen.node(), "by the name b proved");
    assertEquals(b.address(), bSeen.address());
    assertEquals(b.beats.incarnation(), bSeen.incarnation());
    awaitView(b, p -> "node-a".equals(p.node()) && p.everHeard(), "b hears a");
    int linksBefore = a.links.size();

    b.beats.close();
    b.links.close();
    b.server.close(); // b is gone: its port refuses
    PeerLiveness gone = awaitView(a, p -> p.refused() && !p.linkUp(), "a sees b's port refuse");
    assertEquals("node-b", gone.node());
    assertTrue(linksBefore >= 2, "a holds its beat link and b's: " + linksBefore);
  }

  @Test
  void beatsAreHeardWhileThePeerQueueIsBlocked() throws Exception {
    Side a = new Side("node-a", KEY);
    Side b = new Side("node-b", KEY);
    b.queue.detach(b.invoker); // b's beans take nothing: frames for them wait
    for (int i = 0; i < 150; i++) {
      a.links.dial(b.address()).send(new Ping(i)); // more than b's queue holds: its reader waits
    }
    a.beats.watch(List.of(b.address()));
    b.beats.watch(List.of(a.address()));
    awaitView(b, p -> "node-a".equals(p.node()) && p.everHeard(), "b hears a's beats");
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2_500);
    while (System.nanoTime() < until) { // throughout, while the queue stays full
      assertTrue(
          b.beats.view().stream()
              .filter(p -> "node-a".equals(p.node()))
              .allMatch(p -> p.silentMillis() < 1_500),
          "b still hears a: " + b.beats.view());
      assertEquals(100, b.queue.status().depth(), "the frames still wait");
      Thread.sleep(100);
    }
  }

  @Test
  void claimsForNamesSkipABacklogOfCopies() throws Exception {
    Side a = new Side("node-a", KEY);
    Side b = new Side("node-b", KEY);
    b.queue.detach(b.invoker); // b's copies wait: its queue fills and its reader waits for room
    PeerLink link = a.links.dial(b.address());
    for (int i = 0; i < 100; i++) {
      link.send(new Ping(i));
    }
    long queued = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (b.queue.status().depth() < 90 && System.nanoTime() < queued) {
      Thread.sleep(10); // the backlog is read and waits in b's queue before the claim is sent
    }
    PeerLink other = a.links.dialAlone(b.address()); // the backlog's link is held up: use another
    other.send(new Claim("c0ffee", "ayu"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    PeerMessage got = null;
    while (System.nanoTime() < deadline && (got == null || !(got.frame() instanceof Claim))) {
      got = b.received.poll(100, TimeUnit.MILLISECONDS); // a copy taken before the detach too
    }
    assertEquals(new Claim("c0ffee", "ayu"), got == null ? null : got.frame(), "the claim came");
    assertTrue(b.queue.status().depth() >= 90, "while the copies still wait: " + b.queue.status());
  }

  @Test
  void aStalledPeerNeverHoldsUpItsSenderNorTheOtherLinks() throws Exception {
    Side a = new Side("node-a", KEY);
    Side b = new Side("node-b", KEY);
    Side c = new Side("node-c", KEY);
    b.queue.detach(b.invoker); // b takes nothing: its reader, then the socket, then a's outbox fill
    PeerLink toB = a.links.dial(b.address());
    String text = "x".repeat(1000);
    PeerLinkBusy busy = null;
    int sent = 0;
    while (busy == null && sent < 1_000_000) {
      try {
        toB.send(new MessageRecord(sent + 1, 1, 0, 1, "ayu", "budi", null, 1, sent + 1, text));
        sent++;
      } catch (PeerLinkBusy full) {
        busy = full; // refused at once, never waited for
      }
    }
    assertTrue(busy != null, "the outbox refused more once full, after " + sent + " frames");
    assertTrue(sent >= PeerLink.LIVE_FRAMES, "it held a full lane first: " + sent);
    assertTrue(toB.isOpen(), "a slow peer is not a dead one: the link stays open");
    a.links.dial(c.address()).send(new Ping(42));
    PeerMessage atC = c.received.poll(5, TimeUnit.SECONDS);
    assertEquals(new Ping(42), atC == null ? null : atC.frame(), "c is served meanwhile");
    assertTrue(toB.waiting() > 0, "while b's frames still wait: " + toB.waiting());
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

  @Test
  void aSocketTricklingBytesIsClosedAtTheDeadlineNotKeptAliveByEachByte() throws Exception {
    Side b = new Side("node-b", KEY, new PeerLimits(8, 4, 2, 800, 30_000, 2_000));
    try (Socket slow = new Socket("127.0.0.1", b.address().getPort())) {
      slow.setSoTimeout(200); // shorter than the deadline: each quiet read sends the next byte
      long start = System.nanoTime();
      boolean closed = false;
      for (int sent = 0; !closed && sent < 50; sent++) {
        slow.getOutputStream().write(sent < 3 ? 0 : 'H');
        closed = closedWithin(slow);
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(closed, "still open after 50 bytes over " + millis + " ms");
      assertTrue(millis < 2_000, "closed after " + millis + " ms, the deadline is 800 ms");
    }
  }

  @Test
  void onlyAShortHelloIsReadBeforeTheHandshake() throws Exception {
    Side b = new Side("node-b", KEY);
    try (Socket stranger = new Socket("127.0.0.1", b.address().getPort())) {
      stranger.setSoTimeout(2_000);
      // announces 600 bytes and sends none of them: refused by the length alone
      stranger.getOutputStream().write(ByteBuffer.allocate(4).putInt(600).array());
      PeerError error =
          assertInstanceOf(PeerError.class, new PeerFrameDecoder(stranger.getInputStream()).next());
      assertEquals("bad-length", error.code());
    }
  }

  @Test
  void strangersHaveSlotsOfTheirOwnAndAPeerGetsInWhileTheyHoldThem() throws Exception {
    // one link at most: if strangers took link slots, the real peer would find none
    PeerLimits limits = new PeerLimits(1, 3, 1, 5_000, 30_000, 2_000);
    Side a = new Side("node-a", KEY);
    Side b = new Side("node-b", KEY, limits);
    List<Socket> strangers = new ArrayList<>();
    try {
      for (int i = 2; i <= 5; i++) { // four addresses for three slots
        Socket stranger = new Socket();
        stranger.bind(new InetSocketAddress("127.0.0." + i, 0));
        stranger.connect(b.address());
        stranger.setSoTimeout(2_000);
        stranger.getOutputStream().write(0); // a frame begun, never finished
        strangers.add(stranger);
      }
      Socket second = new Socket();
      second.bind(new InetSocketAddress("127.0.0.5", 0));
      second.connect(b.address());
      second.setSoTimeout(2_000);
      strangers.add(second);
      PeerError refused =
          assertInstanceOf(PeerError.class, new PeerFrameDecoder(second.getInputStream()).next());
      assertEquals("too-many-handshakes", refused.code(), "one handshake per address");

      PeerLink link = a.links.dial(b.address());
      link.send(new Ping(9));
      assertEquals(new Ping(9), b.received.poll(5, TimeUnit.SECONDS).frame());
      assertTrue(b.links.handshaking() <= 3, "handshakes " + b.links.handshaking());
      assertTrue(closedWithin(strangers.get(0)), "the oldest stranger gave way");
    } finally {
      for (Socket stranger : strangers) {
        stranger.close();
      }
    }
  }

  @Test
  void aHelloWithTheServersOwnNameIsRefusedAsAReflection() throws Exception {
    Side b = new Side("node-b", KEY);
    Side twin = new Side("node-b", KEY);
    IOException refused = assertThrows(IOException.class, () -> twin.links.dial(b.address()));
    assertTrue(refused.getMessage().contains("reflected"), refused.getMessage());
    assertEquals(0, b.links.size());
  }

  @Test
  void anAlteredRepeatedOrReorderedFrameClosesTheLink() throws Exception {
    Side b = new Side("node-b", KEY);
    for (String attack : List.of("flip", "repeat", "swap")) {
      try (Socket raw = new Socket("127.0.0.1", b.address().getPort())) {
        raw.setSoTimeout(5_000);
        LinkHandshake.Outcome proved =
            new LinkHandshake(new Handshake("raw-" + attack, new PeerKey(KEY)))
                .dial(raw.getInputStream(), raw.getOutputStream(), b.address());
        SealedFrameEncoder encoder = new SealedFrameEncoder(proved.ciphers().sending());
        byte[] first = bytes(encoder.encode(new Ping(1)));
        byte[] second = bytes(encoder.encode(new Ping(2)));
        OutputStream out = raw.getOutputStream();
        switch (attack) {
          case "flip" -> {
            first[first.length - 1] ^= 0x01;
            out.write(first);
          }
          case "repeat" -> {
            out.write(first);
            out.write(first);
          }
          default -> {
            out.write(second);
            out.write(first);
          }
        }
        out.flush();
        SealedFrameDecoder decoder =
            new SealedFrameDecoder(raw.getInputStream(), proved.ciphers().receiving());
        PeerError error = assertInstanceOf(PeerError.class, decoder.next(), attack);
        assertEquals("bad-seal", error.code(), attack);
        assertTrue(closedWithin(raw), attack + ": closed after the refusal");
      }
    }
    PeerMessage taken = b.received.poll(1, TimeUnit.SECONDS);
    assertEquals(new Ping(1), taken.frame(), "only the one good frame (repeat's first) got in");
    assertEquals(null, b.received.poll(200, TimeUnit.MILLISECONDS));
  }

  /** True if the peer closed the socket (within its read timeout). */
  private static boolean closedWithin(Socket socket) throws IOException {
    try {
      while (true) {
        if (socket.getInputStream().read() < 0) {
          return true;
        }
      }
    } catch (java.net.SocketTimeoutException stillOpen) {
      return false;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  private static byte[] bytes(ByteBuffer buffer) {
    return java.util.Arrays.copyOf(buffer.array(), buffer.limit());
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
