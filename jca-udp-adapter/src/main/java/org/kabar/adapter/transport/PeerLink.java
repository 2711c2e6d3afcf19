package org.kabar.adapter.transport;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
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
import org.kabar.protocol.peer.AskClaim;
import org.kabar.protocol.peer.Beat;
import org.kabar.protocol.peer.Claim;
import org.kabar.protocol.peer.Claimed;
import org.kabar.protocol.peer.PeerFrame;
import org.kabar.protocol.peer.PeerProtocolException;
import org.kabar.protocol.peer.SealedFrameDecoder;
import org.kabar.protocol.peer.SealedFrameEncoder;
import org.kabar.protocol.peer.Unclaim;

/**
 * One authenticated TCP connection to a peer server, whichever side opened it: both proved the
 * deployment key ({@link LinkHandshake}), and every frame since is sealed (AES-256-GCM, a key per
 * direction, the frame's number as nonce). A reader loop queues the frames it opens; writers send
 * whole frames one at a time. A frame that does not open or decode is answered with an {@code
 * ERROR} frame and the link is closed.
 */
public final class PeerLink implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(PeerLink.class.getName());

  private final PeerLinkId id;
  private final Socket socket;
  private final InetSocketAddress remote;
  private final OutputStream out;
  private final String peerNode;
  private final SealedFrameEncoder encoder;
  private final SealedFrameDecoder decoder;
  private final RefusalLog refusals;
  private final Consumer<PeerLink> onClose;

  /**
   * @param in the socket's input, as the handshake left it (nothing read ahead is lost)
   * @param out the socket's output, shared with the handshake
   */
  PeerLink(
      PeerLinkId id,
      Socket socket,
      InputStream in,
      OutputStream out,
      LinkHandshake.Outcome proved,
      RefusalLog refusals,
      Consumer<PeerLink> onClose) {
    this.id = id;
    this.socket = socket;
    this.remote = (InetSocketAddress) socket.getRemoteSocketAddress();
    this.out = out;
    this.peerNode = proved.peerNode();
    this.encoder = new SealedFrameEncoder(proved.ciphers().sending());
    this.decoder = new SealedFrameDecoder(in, proved.ciphers().receiving());
    this.refusals = refusals;
    this.onClose = onClose;
  }

  /** The node name the peer proved the key under. */
  public String peerNode() {
    return peerNode;
  }

  public PeerLinkId id() {
    return id;
  }

  public InetSocketAddress remote() {
    return remote;
  }

  /** Reads frames until the peer closes the link, it times out or a frame is refused. */
  public void readLoop(
      InboundQueue<PeerMessage> queue,
      InboundQueue<PeerMessage> claims,
      PeerLinks.BeatListener beats) {
    try {
      while (!socket.isClosed()) {
        PeerFrame frame = decoder.next();
        if (frame instanceof Beat beat) {
          beats.heard(peerNode, beat); // as read: a beat never waits behind copies in the queue
          continue;
        }
        // a registration waits for claims and their answers: they skip the copies' queue
        InboundQueue<PeerMessage> lane =
            frame instanceof Claim
                    || frame instanceof Claimed
                    || frame instanceof Unclaim
                    || frame instanceof AskClaim
                ? claims
                : queue;
        if (!lane.offer(new PeerMessage(id, peerNode, remote, frame, Instant.now()))) {
          LOG.warning(() -> "peer frame from " + remote + " dropped: queue full");
        }
      }
    } catch (PeerProtocolException bad) {
      // an on-path attacker can cause these at will: logged like refusals, a few a second
      refusals.warning(
          "peer "
              + peerNode
              + " at "
              + remote
              + " sent a bad frame ("
              + bad.getMessage()
              + "); closing the link");
      trySend(bad.toFrame());
    } catch (SocketTimeoutException idle) {
      LOG.info(() -> "peer link to " + remote + " idle too long; closing");
    } catch (EOFException left) {
      LOG.fine(() -> "peer " + peerNode + " at " + remote + " closed the link");
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

  /**
   * Sends one frame; frames from concurrent callers never interleave, and leave in sealed order.
   */
  public void send(PeerFrame frame) throws IOException {
    synchronized (out) {
      ByteBuffer sealed = encoder.encode(frame);
      out.write(sealed.array(), 0, sealed.limit());
      out.flush();
    }
  }

  /** Sends a frame if the link still takes it; for telling a peer why it is being closed. */
  void trySend(PeerFrame frame) {
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
