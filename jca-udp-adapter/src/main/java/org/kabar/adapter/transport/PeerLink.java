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
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.kabar.adapter.api.PeerLinkBusy;
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
import org.kabar.protocol.peer.StoredCopies;
import org.kabar.protocol.peer.Unclaim;
import org.kabar.protocol.peer.Via;

/**
 * One authenticated TCP connection to a peer server, whichever side opened it: both proved the
 * deployment key ({@link LinkHandshake}), and every frame since is sealed (AES-256-GCM, a key per
 * direction, the frame's number as nonce). A reader loop queues the frames it opens on the lane
 * each belongs to; a writer loop of its own takes what waits in the link's {@link Outbox} and
 * writes it, many frames per flush, so no caller ever holds the socket or waits on a slow peer. A
 * frame that does not open or decode is answered with an {@code ERROR} frame and the link is
 * closed.
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
  private final Outbox outbox = new Outbox(LIVE_FRAMES, CATCH_UP_FRAMES);

  /** Live frames waiting at most: a few seconds of the heaviest traffic measured. */
  static final int LIVE_FRAMES = 16_384;

  /** Catch-up frames waiting at most; a catch-up waits for room, never drops. */
  static final int CATCH_UP_FRAMES = 2_048;

  /** How long a catch-up waits for room before it is given up (the next one starts again). */
  static final long CATCH_UP_WAIT_MILLIS = 30_000;

  /** Frames written per flush at most. */
  private static final int WRITE_BATCH = 512;

  /** The lanes a link's reader hands frames to. */
  public record Lanes(
      InboundQueue<PeerMessage> live,
      InboundQueue<PeerMessage> prompt,
      InboundQueue<PeerMessage> acks,
      InboundQueue<PeerMessage> other,
      PeerLinks.BeatListener beats) {}

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

  /**
   * Reads frames until the peer closes the link, it times out or a frame is refused. Beats are
   * handed over as read; what a caller waits on (claims for names and their answers, {@code
   * STORED}) goes on the prompt lane; live copies ({@code VIA}) on the live lane, taken in order by
   * one thread; everything else (catch-ups, announcements, pings) on the other lane.
   */
  public void readLoop(Lanes lanes) {
    try {
      while (!socket.isClosed()) {
        PeerFrame frame = decoder.next();
        if (frame instanceof Beat beat) {
          lanes.beats().heard(peerNode, beat); // as read: never waits behind copies
          continue;
        }
        InboundQueue<PeerMessage> lane =
            frame instanceof Claim
                    || frame instanceof Claimed
                    || frame instanceof Unclaim
                    || frame instanceof AskClaim
                ? lanes.prompt()
                : frame instanceof StoredCopies
                    ? lanes.acks()
                    : frame instanceof Via ? lanes.live() : lanes.other();
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
   * Queues one frame on the live lane; the writer sends it.
   *
   * @throws PeerLinkBusy if the live lane is full
   * @throws IOException if the link is closed
   */
  public void send(PeerFrame frame) throws IOException {
    send(List.of(frame));
  }

  /**
   * Queues frames on the live lane, all or none, in order; the writer sends them. Never waits.
   *
   * @throws PeerLinkBusy if the live lane has no room for them
   * @throws IOException if the link is closed
   */
  public void send(List<? extends PeerFrame> frames) throws IOException {
    if (!outbox.offerLive(frames)) {
      if (!isOpen()) {
        throw new IOException("peer link to " + remote + " is closed");
      }
      throw new PeerLinkBusy(
          "peer "
              + peerNode
              + " at "
              + remote
              + " reads too slowly: "
              + outbox.depth()
              + " waiting");
    }
  }

  /**
   * Queues frames on the catch-up lane, in order, waiting for room as the peer reads them.
   *
   * @throws IOException if the link closed, or the peer took nothing for {@value
   *     #CATCH_UP_WAIT_MILLIS} ms
   */
  public void sendCatchUp(List<? extends PeerFrame> frames) throws IOException {
    try {
      if (!outbox.putCatchUp(frames, CATCH_UP_WAIT_MILLIS)) {
        throw new IOException(
            isOpen()
                ? "peer " + peerNode + " at " + remote + " took no catch-up frames for 30 s"
                : "peer link to " + remote + " is closed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while queueing a catch-up", e);
    }
  }

  /** Frames waiting to be written. */
  public int waiting() {
    return outbox.depth();
  }

  /** Writes what the outbox holds until the link closes: many frames, one flush. */
  void writeLoop() {
    try {
      while (true) {
        List<PeerFrame> frames = outbox.take(WRITE_BATCH);
        if (frames.isEmpty()) {
          return; // closed
        }
        synchronized (out) {
          for (PeerFrame frame : frames) {
            ByteBuffer sealed = encoder.encode(frame);
            out.write(sealed.array(), 0, sealed.limit());
          }
          out.flush();
        }
      }
    } catch (IOException e) {
      if (isOpen()) {
        LOG.log(Level.INFO, "writing to peer " + peerNode + " at " + remote + " failed", e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      close();
    }
  }

  /**
   * Writes a frame at once, past the outbox, if the link still takes it: for telling a peer why it
   * is being closed.
   */
  void trySend(PeerFrame frame) {
    try {
      synchronized (out) {
        ByteBuffer sealed = encoder.encode(frame);
        out.write(sealed.array(), 0, sealed.limit());
        out.flush();
      }
    } catch (IOException e) {
      LOG.log(Level.FINE, "could not tell " + remote + " why it was refused", e);
    }
  }

  public boolean isOpen() {
    return !socket.isClosed();
  }

  @Override
  public void close() {
    outbox.close();
    try {
      socket.close();
    } catch (IOException e) {
      LOG.log(Level.FINE, "closing peer link", e);
    }
    onClose.accept(this);
  }
}
