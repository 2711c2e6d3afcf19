package org.kabar.adapter.transport;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.kabar.adapter.api.PeerLinkId;
import org.kabar.protocol.peer.Beat;
import org.kabar.protocol.peer.PeerError;

/**
 * The node's peer connections: the authenticated links, accepted or dialled, by id for replies and
 * by address for reuse; and, kept apart, the accepted sockets still in their handshake, few and
 * short-lived, so that strangers never hold the slots of real peers.
 */
public final class PeerLinks implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(PeerLink.class.getName());

  /** Refusals logged per second at most. */
  private static final int REFUSAL_LINES_PER_SECOND = 5;

  private final AtomicLong ids = new AtomicLong();
  private final Map<PeerLinkId, PeerLink> byId = new ConcurrentHashMap<>();
  private final Map<InetSocketAddress, PeerLink> dialled = new ConcurrentHashMap<>();
  private final PeerLink.Lanes lanes;
  private final WorkLauncher launcher;
  private final PeerLimits limits;
  private final LinkHandshake handshake;
  private final RefusalLog refusals = new RefusalLog(LOG, REFUSAL_LINES_PER_SECOND);
  private final HandshakeDeadlines deadlines;
  private final IncomingHandshakes incoming;

  /** Takes the heartbeats links read, as they read them: no queue, no bean. */
  @FunctionalInterface
  public interface BeatListener {
    void heard(String node, Beat beat);
  }

  /**
   * Starts the loop that enforces handshake deadlines.
   *
   * @throws IllegalStateException if the launcher cannot run it
   */
  public PeerLinks(
      PeerLink.Lanes lanes, WorkLauncher launcher, Handshake handshake, PeerLimits limits) {
    this.lanes = lanes;
    this.launcher = launcher;
    this.limits = limits;
    this.handshake = new LinkHandshake(handshake);
    this.deadlines = new HandshakeDeadlines(refusals, limits.handshakeMillis());
    this.incoming =
        new IncomingHandshakes(this.handshake, limits, launcher, refusals, deadlines, this::adopt);
    launcher.launch("kabar-peer-handshake-deadlines", deadlines::run);
  }

  /**
   * Starts the handshake of an accepted socket, or refuses it when the node's links are all open.
   */
  void accept(Socket socket) {
    if (byId.size() >= limits.maxLinks()) {
      IncomingHandshakes.refuse(
          socket, "too-many-links", "the node has " + limits.maxLinks() + " links open", refusals);
      return;
    }
    incoming.accept(socket);
  }

  /** An accepted socket proved the key: it runs as a link, on its handshake's thread. */
  private boolean adopt(
      Socket socket, InputStream in, OutputStream out, LinkHandshake.Outcome proved)
      throws IOException {
    PeerLink link = newLink(socket, in, out, proved, null);
    if (!register(link, null, false)) {
      link.trySend(
          new PeerError("too-many-links", "the node has " + limits.maxLinks() + " links open"));
      return false;
    }
    socket.setSoTimeout(limits.idleTimeoutMillis());
    Thread.currentThread().setName("kabar-peer-link-" + link.id().value());
    LOG.info(
        () ->
            "peer "
                + proved.peerNode()
                + " at "
                + socket.getRemoteSocketAddress()
                + " proved the deployment key");
    link.readLoop(lanes);
    return true;
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
      return open(peer, true);
    }
  }

  /**
   * A new link to a peer address of the caller's own, shared with nobody (the heartbeats'): not
   * reused by {@link #dial}, and not held up by a dial of it.
   *
   * @throws java.net.ConnectException if nothing listens there
   */
  public PeerLink dialAlone(InetSocketAddress peer) throws IOException {
    return open(peer, false);
  }

  private PeerLink open(InetSocketAddress peer, boolean shared) throws IOException {
    if (byId.size() >= limits.maxLinks()) {
      throw new IOException("too many peer links open (" + limits.maxLinks() + ")");
    }
    Socket socket = new Socket();
    PendingHandshake pending = null;
    try {
      socket.connect(peer, limits.connectTimeoutMillis());
      socket.setSoTimeout(limits.handshakeMillis());
      socket.setTcpNoDelay(true);
      pending = new PendingHandshake(socket, limits.handshakeMillis());
      deadlines.watch(pending);
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = new BufferedOutputStream(socket.getOutputStream());
      // on the caller's thread: the link is usable on return
      LinkHandshake.Outcome proved = handshake.dial(in, out, peer);
      if (!pending.finish()) {
        throw new IOException("peer " + peer + " " + pending.cutBecause());
      }
      deadlines.done(pending);
      socket.setSoTimeout(limits.idleTimeoutMillis());
      PeerLink link = newLink(socket, in, out, proved, shared ? peer : null);
      if (!register(link, peer, shared)) {
        link.close();
        throw new IOException("too many peer links open (" + limits.maxLinks() + ")");
      }
      return link;
    } catch (IOException e) {
      socket.close();
      String cut = pending == null ? null : pending.cutBecause();
      throw cut == null ? e : new IOException("peer " + peer + " " + cut, e);
    } finally {
      if (pending != null) {
        deadlines.done(pending);
      }
    }
  }

  /** The open link with this id, or null. */
  public PeerLink get(PeerLinkId id) {
    return byId.get(id);
  }

  /** Authenticated links open now. */
  public int size() {
    return byId.size();
  }

  /** Accepted sockets still in their handshake now. */
  public int handshaking() {
    return incoming.size();
  }

  private PeerLink newLink(
      Socket socket,
      InputStream in,
      OutputStream out,
      LinkHandshake.Outcome proved,
      InetSocketAddress dialledAddress) {
    PeerLinkId id = new PeerLinkId(ids.incrementAndGet());
    return new PeerLink(
        id,
        socket,
        in,
        out,
        proved,
        refusals,
        closed -> {
          byId.remove(closed.id());
          if (dialledAddress != null) {
            dialled.remove(dialledAddress, closed);
          }
        });
  }

  /**
   * Counts the link among the open ones, if there is room, and starts its writer; a dialled one
   * also gets its reader (an accepted one reads on its handshake's thread).
   *
   * @return false if the node has its maximum of links open
   */
  private boolean register(PeerLink link, InetSocketAddress dialledAddress, boolean shared)
      throws IOException {
    synchronized (byId) {
      if (byId.size() >= limits.maxLinks()) {
        return false;
      }
      byId.put(link.id(), link);
    }
    try {
      launcher.launch("kabar-peer-writer-" + link.id().value(), link::writeLoop);
    } catch (RuntimeException e) {
      link.close();
      throw new IOException("no thread to write to the peer link", e);
    }
    if (dialledAddress != null) {
      if (shared) {
        dialled.put(dialledAddress, link);
      }
      try {
        launcher.launch("kabar-peer-link-" + link.id().value(), () -> link.readLoop(lanes));
      } catch (RuntimeException e) {
        link.close();
        throw new IOException("no thread to read the peer link", e);
      }
    }
    return true;
  }

  @Override
  public void close() {
    deadlines.close();
    // a plain loop: no lambda to load after a full server has closed the adapter's class loader
    for (PeerLink link : new ArrayList<>(byId.values())) {
      link.close();
    }
    byId.clear();
    dialled.clear();
  }
}
