package org.kabar.adapter;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.kabar.adapter.api.AdapterStatus;
import org.kabar.adapter.api.AdapterStatus.QueueStatus;
import org.kabar.adapter.api.ClientDatagram;
import org.kabar.adapter.api.PeerMessage;
import org.kabar.adapter.inbound.InboundQueue;
import org.kabar.adapter.inbound.SendShedding;
import org.kabar.adapter.transport.ClientSocket;
import org.kabar.adapter.transport.Handshake;
import org.kabar.adapter.transport.PeerBeats;
import org.kabar.adapter.transport.PeerLimits;
import org.kabar.adapter.transport.PeerLink;
import org.kabar.adapter.transport.PeerLinks;
import org.kabar.adapter.transport.PeerServer;
import org.kabar.adapter.transport.WorkLauncher;

/**
 * Everything the adapter runs between start and stop: both sockets, the peer links, the two inbound
 * queues and the loops that feed and drain them.
 */
public record NodeSockets(
    ClientSocket clientSocket,
    PeerServer peerServer,
    PeerLinks peerLinks,
    PeerBeats beats,
    InboundQueue<ClientDatagram> clientQueue,
    InboundQueue<ClientDatagram> openQueue,
    InboundQueue<PeerMessage> liveQueue,
    InboundQueue<PeerMessage> peerQueue,
    InboundQueue<PeerMessage> claimQueue,
    InboundQueue<PeerMessage> ackQueue)
    implements AutoCloseable {

  /** How long the UDP reader waits for room in a full queue before dropping a datagram. */
  private static final long CLIENT_OFFER_WAIT_MILLIS = 100;

  /** Requests without a session are dropped at once when their queue is full: never waited for. */
  private static final long OPEN_OFFER_WAIT_MILLIS = 0;

  /** Claims for names, their answers and STORED waiting at most, on their own lane. */
  private static final int CLAIM_QUEUE = 1024;

  /** Live copies one delivery takes at most: merged in one transaction, one commit. */
  static final int LIVE_BATCH = 256;

  /** Other peer frames one delivery takes at most (a catch-up's copies, merged together). */
  static final int OTHER_BATCH = 64;

  /** Prompt frames one delivery takes at most. */
  static final int PROMPT_BATCH = 64;

  /** STORED frames waiting at most: one per batch of copies a peer merged. */
  private static final int ACK_QUEUE = 4096;

  /** STORED frames one delivery takes at most. */
  static final int ACK_BATCH = 16;

  /**
   * Threads serving STORED: each answers the senders of the batches its frames complete, so the
   * answers of several batches go out side by side.
   */
  static final int ACK_THREADS = 4;

  /** Peer frames are never dropped for a full queue: TCP flow control pushes back instead. */
  private static final long PEER_OFFER_WAIT_MILLIS = Long.MAX_VALUE / 2;

  /** The validated settings of the adapter. */
  record Settings(
      InetSocketAddress udp,
      InetSocketAddress tcp,
      int receiveBufferBytes,
      int clientQueueCapacity,
      int clientDeliveryThreads,
      int clientBatch,
      int openQueueCapacity,
      int openDeliveryThreads,
      int peerQueueCapacity,
      int peerDeliveryThreads,
      PeerLimits peerLimits,
      Handshake handshake,
      int shedAfterMillis) {
    Settings {
      within(
          "KABAR_SHED_AFTER_MILLIS (shedAfterMillis)",
          shedAfterMillis,
          "0 (off)",
          0,
          SendShedding.MOST_MILLIS);
      within("KABAR_CLIENT_BATCH (clientBatch)", clientBatch, "1", 1, InboundQueue.MOST_BATCH);
      positive("clientDeliveryThreads", clientDeliveryThreads);
      positive("openDeliveryThreads", openDeliveryThreads);
      positive("peerDeliveryThreads", peerDeliveryThreads);
      positive("receiveBufferBytes", receiveBufferBytes);
      if (udp.isUnresolved() || tcp.isUnresolved()) {
        throw new IllegalArgumentException("bind address " + udp.getHostString() + " is unknown");
      }
    }

    private static void within(String name, int value, String least, int min, int max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            name + " must be " + least + " to " + max + ", was " + value);
      }
    }

    private static void positive(String name, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be at least 1, was " + value);
      }
    }
  }

  /** Binds both sockets and starts every loop; closes what it opened if anything fails. */
  static NodeSockets open(Settings settings, WorkLauncher launcher) throws IOException {
    InboundQueue<ClientDatagram> clientQueue =
        new InboundQueue<>(
            "client",
            settings.clientQueueCapacity(),
            CLIENT_OFFER_WAIT_MILLIS,
            settings.clientBatch());
    // one at a time: a login's password hash is slow, and the threads hash side by side
    InboundQueue<ClientDatagram> openQueue =
        new InboundQueue<>("client-open", settings.openQueueCapacity(), OPEN_OFFER_WAIT_MILLIS, 1);
    // live copies, taken in order by one thread, many at a time: one transaction merges them
    InboundQueue<PeerMessage> liveQueue =
        new InboundQueue<>(
            "peer-live", settings.peerQueueCapacity(), PEER_OFFER_WAIT_MILLIS, LIVE_BATCH);
    // catch-ups, announcements, pings, accounts
    InboundQueue<PeerMessage> peerQueue =
        new InboundQueue<>(
            "peer", settings.peerQueueCapacity(), PEER_OFFER_WAIT_MILLIS, OTHER_BATCH);
    // what callers wait on (claims for names and their answers, STORED), on a lane of their own:
    // never behind a backlog of copies (few, small, never dropped)
    InboundQueue<PeerMessage> claimQueue =
        new InboundQueue<>("peer-prompt", CLAIM_QUEUE, PEER_OFFER_WAIT_MILLIS, PROMPT_BATCH);
    InboundQueue<PeerMessage> ackQueue =
        new InboundQueue<>("peer-acks", ACK_QUEUE, PEER_OFFER_WAIT_MILLIS, ACK_BATCH);
    ClientSocket clientSocket = ClientSocket.open(settings.udp(), settings.receiveBufferBytes());
    PeerServer peerServer;
    try {
      peerServer = PeerServer.open(settings.tcp());
    } catch (IOException e) {
      clientSocket.close();
      throw e;
    }
    PeerLinks peerLinks;
    PeerBeats beats;
    try {
      AtomicReference<PeerLinks> links = new AtomicReference<>();
      beats =
          new PeerBeats(
              System.currentTimeMillis(),
              peer -> links.get().dialAlone(peer),
              launcher,
              System::nanoTime);
      peerLinks =
          new PeerLinks(
              new PeerLink.Lanes(liveQueue, claimQueue, ackQueue, peerQueue, beats::heard),
              launcher,
              settings.handshake(),
              settings.peerLimits());
      links.set(peerLinks);
    } catch (RuntimeException e) {
      clientSocket.close();
      peerServer.close();
      throw new IOException("could not start the adapter's loops: " + e.getMessage(), e);
    }
    SendShedding shedding = new SendShedding(settings.shedAfterMillis());
    clientQueue.answerHere(
        datagram -> {
          byte[] busy = shedding.refusal(datagram, Instant.now());
          if (busy == null) {
            return false;
          }
          try {
            clientSocket.send(datagram.sender(), busy);
          } catch (IOException e) {
            // not stored either way: the client retransmits, and is answered or refused again
          }
          return true;
        });
    NodeSockets sockets =
        new NodeSockets(
            clientSocket,
            peerServer,
            peerLinks,
            beats,
            clientQueue,
            openQueue,
            liveQueue,
            peerQueue,
            claimQueue,
            ackQueue);
    try {
      launcher.launch("kabar-udp-receiver", () -> clientSocket.receiveLoop(clientQueue, openQueue));
      launcher.launch("kabar-tcp-acceptor", () -> peerServer.acceptLoop(peerLinks));
      for (int i = 0; i < settings.clientDeliveryThreads(); i++) {
        launcher.launch("kabar-client-delivery-" + i, clientQueue::work);
      }
      for (int i = 0; i < settings.openDeliveryThreads(); i++) {
        launcher.launch("kabar-client-open-delivery-" + i, openQueue::work);
      }
      for (int i = 0; i < settings.peerDeliveryThreads(); i++) {
        launcher.launch("kabar-peer-delivery-" + i, peerQueue::work);
      }
      launcher.launch("kabar-peer-live-delivery", liveQueue::work);
      launcher.launch("kabar-peer-prompt-delivery", claimQueue::work);
      for (int i = 0; i < ACK_THREADS; i++) {
        launcher.launch("kabar-peer-ack-delivery-" + i, ackQueue::work);
      }
    } catch (RuntimeException e) {
      sockets.close();
      throw new IOException("could not start the adapter's loops: " + e.getMessage(), e);
    }
    return sockets;
  }

  /**
   * A snapshot of the sockets and queues; {@code client} counts both client queues, {@code peer}
   * the live and the other peer lanes.
   */
  public AdapterStatus status() {
    QueueStatus sessions = clientQueue.status();
    QueueStatus open = openQueue.status();
    return new AdapterStatus(
        clientSocket.localAddress(),
        peerServer.localAddress(),
        clientSocket.receiveBufferRequested(),
        clientSocket.receiveBufferGranted(),
        sum(sessions, open),
        open,
        sum(liveQueue.status(), peerQueue.status()),
        peerLinks.size());
  }

  private static QueueStatus sum(QueueStatus a, QueueStatus b) {
    return new QueueStatus(
        a.received() + b.received(),
        a.delivered() + b.delivered(),
        a.dropped() + b.dropped(),
        a.failed() + b.failed(),
        a.shed() + b.shed(),
        a.depth() + b.depth(),
        a.capacity() + b.capacity(),
        a.endpointActive() && b.endpointActive());
  }

  @Override
  public void close() {
    liveQueue.stop();
    ackQueue.stop();
    clientQueue.stop();
    openQueue.stop();
    peerQueue.stop();
    claimQueue.stop();
    clientSocket.close();
    peerServer.close();
    beats.close();
    peerLinks.close();
  }
}
