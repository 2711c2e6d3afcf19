package org.kabar.adapter.transport;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import org.kabar.protocol.peer.PeerError;
import org.kabar.protocol.peer.PeerProtocolException;

/**
 * Takes accepted sockets through the handshake, in slots of their own ({@link HandshakeSlots}) and
 * against a deadline ({@link HandshakeDeadlines}), each on its own thread; a socket that proves the
 * key is handed on as a link, any other is refused with one plain {@code ERROR} and closed.
 */
final class IncomingHandshakes {

  /** What becomes of a socket that proved the key: it runs as a link on the same thread. */
  @FunctionalInterface
  interface Proved {
    /**
     * Takes the socket over as a link and reads it until it closes.
     *
     * @return false if there was no room for it (the caller closes the socket)
     */
    boolean run(Socket socket, InputStream in, OutputStream out, LinkHandshake.Outcome outcome)
        throws IOException;
  }

  private final LinkHandshake handshake;
  private final PeerLimits limits;
  private final WorkLauncher launcher;
  private final RefusalLog refusals;
  private final HandshakeSlots slots;
  private final HandshakeDeadlines deadlines;
  private final Proved proved;

  IncomingHandshakes(
      LinkHandshake handshake,
      PeerLimits limits,
      WorkLauncher launcher,
      RefusalLog refusals,
      HandshakeDeadlines deadlines,
      Proved proved) {
    this.handshake = handshake;
    this.limits = limits;
    this.launcher = launcher;
    this.refusals = refusals;
    this.deadlines = deadlines;
    this.proved = proved;
    this.slots = new HandshakeSlots(limits.maxHandshakes(), limits.maxHandshakesPerAddress());
  }

  /** Takes the socket into a slot and starts its handshake, or refuses it. */
  void accept(Socket socket) {
    PendingHandshake pending = new PendingHandshake(socket, limits.handshakeMillis());
    HandshakeSlots.Admission admission = slots.admit(pending);
    if (!admission.admitted()) {
      refuse(
          socket,
          "too-many-handshakes",
          "at most " + limits.maxHandshakesPerAddress() + " handshakes at once from one address",
          refusals);
      return;
    }
    PendingHandshake displaced = admission.displaced();
    if (displaced != null && displaced.cutAndClose("displaced by a newer handshake")) {
      refusals.warning(
          "peer "
              + displaced.socket().getRemoteSocketAddress()
              + " closed before its handshake finished: all "
              + limits.maxHandshakes()
              + " handshake slots taken, the oldest gives way");
    }
    deadlines.watch(pending);
    try {
      launcher.launch("kabar-peer-handshake", () -> run(pending));
    } catch (RuntimeException e) {
      end(pending);
      pending.cutAndClose("no thread");
      refusals.warning("no thread for the handshake of " + socket.getRemoteSocketAddress());
    }
  }

  /** Accepted sockets still in their handshake now. */
  int size() {
    return slots.size();
  }

  /** The accepting side of the handshake, on the socket's own thread; then the link, if proved. */
  private void run(PendingHandshake pending) {
    Socket socket = pending.socket();
    try {
      socket.setSoTimeout(limits.handshakeMillis());
      socket.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = new BufferedOutputStream(socket.getOutputStream());
      LinkHandshake.Outcome outcome = handshake.accept(in, out);
      if (!pending.finish()) {
        return; // cut short at the deadline, or displaced, while the PROOF came: logged there
      }
      end(pending);
      if (!proved.run(socket, in, out, outcome)) {
        refusals.warning("peer " + socket.getRemoteSocketAddress() + " refused: too-many-links");
      }
    } catch (PeerProtocolException refused) {
      if (pending.cut(refused.code())) {
        refusals.warning(
            "peer "
                + socket.getRemoteSocketAddress()
                + " refused before the handshake finished ("
                + refused.getMessage()
                + ")");
        tell(socket, refused.toFrame());
      }
    } catch (IOException e) {
      if (pending.cut("failed")) {
        refusals.warning(
            "peer "
                + socket.getRemoteSocketAddress()
                + " did not prove the deployment key ("
                + (e instanceof EOFException ? "it left first" : e.getMessage())
                + ")");
      }
    } finally {
      end(pending);
      pending.closeSocket(); // a link has been closed by its reader already
    }
  }

  private void end(PendingHandshake pending) {
    slots.release(pending);
    deadlines.done(pending);
  }

  /** Refuses a socket before its handshake: one plain ERROR frame, then closed. */
  static void refuse(Socket socket, String code, String text, RefusalLog refusals) {
    refusals.warning(
        "peer " + socket.getRemoteSocketAddress() + " refused: " + code + " (" + text + ")");
    try (socket) {
      tell(socket, new PeerError(code, text));
    } catch (IOException alreadyClosed) {
      // nothing left to release
    }
  }

  private static void tell(Socket socket, PeerError refusal) {
    try {
      LinkHandshake.write(socket.getOutputStream(), refusal);
    } catch (IOException gone) {
      // it left first: nobody to tell
    }
  }
}
