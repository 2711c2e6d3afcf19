package org.kabar.adapter.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.kabar.adapter.api.PeerLinkId;
import org.kabar.adapter.api.PeerMessage;
import org.kabar.adapter.inbound.InboundQueue;
import org.kabar.protocol.peer.PeerError;

/**
 * The open links to peer servers, accepted or dialled, by id for replies and by address for reuse;
 * bounded so that a flood of connections cannot exhaust the node's threads.
 */
public final class PeerLinks implements AutoCloseable {

  private final AtomicLong ids = new AtomicLong();
  private final Map<PeerLinkId, PeerLink> byId = new ConcurrentHashMap<>();
  private final Map<InetSocketAddress, PeerLink> dialled = new ConcurrentHashMap<>();
  private final InboundQueue<PeerMessage> queue;
  private final WorkLauncher launcher;
  private final int maxLinks;
  private final int idleTimeoutMillis;
  private final int connectTimeoutMillis;
  private final Handshake handshake;

  public PeerLinks(
      InboundQueue<PeerMessage> queue,
      WorkLauncher launcher,
      Handshake handshake,
      int maxLinks,
      int idleTimeoutMillis,
      int connectTimeoutMillis) {
    this.queue = queue;
    this.handshake = handshake;
    this.launcher = launcher;
    this.maxLinks = maxLinks;
    this.idleTimeoutMillis = idleTimeoutMillis;
    this.connectTimeoutMillis = connectTimeoutMillis;
  }

  /** Takes over an accepted socket, or refuses it when too many links are open. */
  void accept(Socket socket) throws IOException {
    if (byId.size() >= maxLinks) {
      try (socket) {
        PeerLink refused = new PeerLink(new PeerLinkId(-1), socket, closed -> {});
        refused.send(new PeerError("too-many-links", "the node has " + maxLinks + " links open"));
      }
      return;
    }
    start(socket, null);
  }

  /** The link to a peer address, dialling it if none is open. */
  public PeerLink dial(InetSocketAddress peer) throws IOException {
    PeerLink existing = dialled.get(peer);
    if (existing != null && existing.isOpen()) {
      return existing;
    }
    synchronized (dialled) {
      existing = dialled.get(peer);
      if (existing != null && existing.isOpen()) {
        return existing;
      }
      if (byId.size() >= maxLinks) {
        throw new IOException("too many peer links open (" + maxLinks + ")");
      }
      Socket socket = new Socket();
      try {
        socket.connect(peer, connectTimeoutMillis);
      } catch (IOException e) {
        socket.close();
        throw e;
      }
      PeerLink link = start(socket, peer);
      dialled.put(peer, link);
      return link;
    }
  }

  /** The open link with this id, or null. */
  public PeerLink get(PeerLinkId id) {
    return byId.get(id);
  }

  public int size() {
    return byId.size();
  }

  private PeerLink start(Socket socket, InetSocketAddress dialledAddress) throws IOException {
    socket.setSoTimeout(idleTimeoutMillis);
    socket.setTcpNoDelay(true);
    PeerLinkId id = new PeerLinkId(ids.incrementAndGet());
    PeerLink link =
        new PeerLink(
            id,
            socket,
            closed -> {
              byId.remove(closed.id());
              if (dialledAddress != null) {
                dialled.remove(dialledAddress, closed);
              }
            });
    if (dialledAddress != null) {
      try {
        link.dialHandshake(handshake); // on the caller's thread: the link is usable on return
      } catch (IOException e) {
        link.close();
        throw e;
      }
    }
    byId.put(id, link);
    try {
      launcher.launch("kabar-peer-link-" + id.value(), () -> link.readLoop(queue, handshake));
    } catch (RuntimeException e) {
      link.close();
      throw new IOException("no thread to read the peer link", e);
    }
    return link;
  }

  @Override
  public void close() {
    // a plain loop: no lambda to load after a full server has closed the adapter's class loader
    for (PeerLink link : new ArrayList<>(byId.values())) {
      link.close();
    }
    byId.clear();
    dialled.clear();
  }
}
