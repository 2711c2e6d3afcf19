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
import org.kabar.protocol.peer.Hello;
import org.kabar.protocol.peer.PeerError;
import org.kabar.protocol.peer.PeerFrame;
import org.kabar.protocol.peer.PeerFrameDecoder;
import org.kabar.protocol.peer.PeerFrameEncoder;
import org.kabar.protocol.peer.PeerKey;
import org.kabar.protocol.peer.PeerProtocolException;
import org.kabar.protocol.peer.Proof;
import org.kabar.protocol.peer.Welcome;

/**
 * One TCP connection to a peer server, whichever side opened it. Before anything else both sides
 * prove they hold the deployment key (HELLO, WELCOME, PROOF: HMAC over fresh challenges); then a
 * reader loop queues the frames it decodes, and writers send whole frames one at a time. A
 * malformed frame, or a peer that cannot prove the key, is answered with an {@code ERROR} frame and
 * the link is closed.
 */
public final class PeerLink implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(PeerLink.class.getName());

  private final PeerLinkId id;
  private final Socket socket;
  private final InetSocketAddress remote;
  private final OutputStream out;
  private final Consumer<PeerLink> onClose;
  private final PeerFrameDecoder decoder;
  private volatile String peerNode;

  PeerLink(PeerLinkId id, Socket socket, Consumer<PeerLink> onClose) throws IOException {
    this.id = id;
    this.socket = socket;
    this.remote = (InetSocketAddress) socket.getRemoteSocketAddress();
    this.out = new BufferedOutputStream(socket.getOutputStream());
    this.onClose = onClose;
    this.decoder = new PeerFrameDecoder(socket.getInputStream());
  }

  /** The peer's node name once it proved the key, else null. */
  public String peerNode() {
    return peerNode;
  }

  /**
   * The accepting side of the handshake: expects HELLO, answers WELCOME with its own proof, and
   * checks the PROOF that follows.
   *
   * @throws PeerProtocolException if the peer does not prove it holds the key
   */
  void acceptHandshake(Handshake handshake) throws IOException, PeerProtocolException {
    int idle = socket.getSoTimeout();
    socket.setSoTimeout(Handshake.TIMEOUT_MILLIS);
    PeerFrame first = decoder.next();
    if (handshake.key() == null) {
      throw new PeerProtocolException(
          "no-key", "this server has no cluster key: it takes no peers");
    }
    if (!(first instanceof Hello hello)) {
      throw new PeerProtocolException("not-authenticated", "prove the key first: send HELLO");
    }
    String nonce = PeerKey.nonce();
    send(
        new Welcome(
            handshake.node(),
            nonce,
            handshake.key().welcomeMac(hello.nonce(), nonce, handshake.node())));
    PeerFrame second = decoder.next();
    String expected = handshake.key().proofMac(nonce, hello.nonce(), hello.node());
    if (!(second instanceof Proof proof) || !PeerKey.same(expected, proof.mac())) {
      throw new PeerProtocolException("bad-key", "the peer does not hold the deployment key");
    }
    peerNode = hello.node();
    socket.setSoTimeout(idle);
  }

  /**
   * The opening side of the handshake: sends HELLO, checks the WELCOME's proof, answers PROOF.
   *
   * @throws IOException if the peer refuses or cannot prove it holds the key
   */
  void dialHandshake(Handshake handshake) throws IOException {
    if (handshake.key() == null) {
      throw new IOException("no cluster key configured: this server cannot reach peers");
    }
    int idle = socket.getSoTimeout();
    socket.setSoTimeout(Handshake.TIMEOUT_MILLIS);
    String nonce = PeerKey.nonce();
    send(new Hello(handshake.node(), nonce));
    PeerFrame answer;
    try {
      answer = decoder.next();
    } catch (PeerProtocolException e) {
      throw new IOException("peer " + remote + " answered garbage: " + e.getMessage(), e);
    }
    if (answer instanceof PeerError refused) {
      throw new IOException("peer " + remote + " refused the link: " + refused.text());
    }
    if (!(answer instanceof Welcome welcome)
        || !PeerKey.same(
            handshake.key().welcomeMac(nonce, welcome.nonce(), welcome.node()), welcome.mac())) {
      throw new IOException("peer " + remote + " does not hold the deployment key");
    }
    send(new Proof(handshake.key().proofMac(welcome.nonce(), nonce, handshake.node())));
    peerNode = welcome.node();
    socket.setSoTimeout(idle);
  }

  public PeerLinkId id() {
    return id;
  }

  public InetSocketAddress remote() {
    return remote;
  }

  /**
   * Reads frames until the peer closes the link, it times out or it sends a bad frame; an accepted
   * link first runs the accepting side of the handshake.
   */
  public void readLoop(InboundQueue<PeerMessage> queue, Handshake handshake) {
    try {
      if (peerNode == null) {
        acceptHandshake(handshake);
        LOG.info(() -> "peer " + peerNode + " at " + remote + " proved the deployment key");
      }
      while (!socket.isClosed()) {
        PeerFrame frame = decoder.next();
        if (!queue.offer(new PeerMessage(id, peerNode, remote, frame, Instant.now()))) {
          LOG.warning(() -> "peer frame from " + remote + " dropped: queue full");
        }
      }
    } catch (PeerProtocolException bad) {
      LOG.warning(() -> "peer " + remote + " sent a bad frame (" + bad.getMessage() + "); closing");
      trySend(bad.toFrame());
    } catch (IOException e) {
      if (peerNode == null) {
        LOG.warning(
            () -> "peer " + remote + " did not prove the deployment key (" + describe(e) + ")");
      } else if (e instanceof SocketTimeoutException) {
        LOG.info(() -> "peer link to " + remote + " idle too long; closing");
      } else if (!(e instanceof EOFException) && !socket.isClosed()) {
        LOG.log(Level.INFO, "peer link to " + remote + " failed", e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      close();
    }
  }

  private static String describe(IOException e) {
    return e instanceof EOFException ? "it left first" : String.valueOf(e.getMessage());
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
