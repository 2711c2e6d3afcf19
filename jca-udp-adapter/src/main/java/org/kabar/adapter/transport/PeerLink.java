package org.kabar.adapter.transport;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.kabar.adapter.api.PeerLinkId;
import org.kabar.adapter.api.PeerMessage;
import org.kabar.adapter.inbound.InboundQueue;
import org.kabar.protocol.peer.PeerFrame;
import org.kabar.protocol.peer.PeerFrameDecoder;
import org.kabar.protocol.peer.PeerFrameEncoder;
import org.kabar.protocol.peer.PeerProtocolException;

/**
 * One TCP connection to a peer server, whichever side opened it: a reader loop queues the frames it
 * decodes; writers send whole frames one at a time. A malformed frame is answered with an {@code
 * ERROR} frame and the link is closed.
 */
public final class PeerLink implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(PeerLink.class.getName());

  private final PeerLinkId id;
  private final Socket socket;
  private final InetSocketAddress remote;
  private final OutputStream out;
  private final Consumer<PeerLink> onClose;

  PeerLink(PeerLinkId id, Socket socket, Consumer<PeerLink> onClose) throws IOException {
    this.id = id;
    this.socket = socket;
    this.remote = (InetSocketAddress) socket.getRemoteSocketAddress();
    this.out = new BufferedOutputStream(socket.getOutputStream());
    this.onClose = onClose;
  }

  public PeerLinkId id() {
    return id;
  }

  public InetSocketAddress remote() {
    return remote;
  }

  /** Reads frames until the peer closes the link, it times out or it sends a bad frame. */
  public void readLoop(InboundQueue<PeerMessage> queue) {
    try {
      PeerFrameDecoder decoder = new PeerFrameDecoder(socket.getInputStream());
      while (!socket.isClosed()) {
        PeerFrame frame = decoder.next();
        if (!queue.offer(new PeerMessage(id, remote, frame, Instant.now()))) {
          LOG.warning(() -> "peer frame from " + remote + " dropped: queue full");
        }
      }
    } catch (PeerProtocolException bad) {
      LOG.warning(() -> "peer " + remote + " sent a bad frame (" + bad.getMessage() + "); closing");
      trySend(bad.toFrame());
    } catch (SocketTimeoutException idle) {
      LOG.info(() -> "peer link to " + remote + " idle too long; closing");
    } catch (EOFException closedByPeer) {
      LOG.fine(() -> "peer " + remote + " closed the link");
    } catch (IOException e) {
      if (!socket.isClosed()) {
        LOG.log(Level.INFO, "peer link to " + remote + " failed", e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      close();
    }
  }

  /** Sends one frame; frames from concurrent callers never interleave. */
  public void send(PeerFrame frame) throws IOException {
    ByteBuffer encoded = PeerFrameEncoder.encode(frame);
    synchronized (out) {
      out.write(encoded.array(), 0, encoded.limit());
      out.flush();
    }
  }

  private void trySend(PeerFrame frame) {
    try {
      send(frame);
    } catch (IOException e) {
      LOG.log(Level.FINE, "could not tell " + remote + " why it was refused", e);
    }
  }

  public boolean isOpen() {
    return !socket.isClosed();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      LOG.log(Level.FINE, "closing peer link", e);
    }
    onClose.accept(this);
  }
}
