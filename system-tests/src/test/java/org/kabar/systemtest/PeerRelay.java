package org.kabar.systemtest;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An on-path attacker between two peer servers: a TCP relay that forwards peer frames one by one in
 * both directions, keeps a copy of every byte it saw, and can be told to alter or repeat one frame
 * sent after the handshake by the side that opened the connection.
 */
final class PeerRelay implements AutoCloseable {

  /** Frames the opening side sends before its first sealed frame: HELLO and PROOF. */
  private static final int HANDSHAKE_FRAMES_FROM_OPENER = 2;

  /** Frames the accepting side sends before its first sealed frame: WELCOME. */
  private static final int HANDSHAKE_FRAMES_FROM_ACCEPTOR = 1;

  /** What to do to the next frame after the handshake. */
  enum Attack {
    /** Flip one bit in the middle of its body. */
    FLIP_A_BIT,
    /** Forward it twice. */
    REPLAY
  }

  /** One connection the relay carried: frames forwarded each way, and whether it ended. */
  static final class Connection {
    volatile int framesFromOpener;
    volatile int framesFromAcceptor;
    volatile boolean closed;
    volatile boolean attacked;

    /** True once the handshake is over and a frame after it crossed in each direction. */
    boolean carriesSealedFramesBothWays() {
      return framesFromOpener > HANDSHAKE_FRAMES_FROM_OPENER
          && framesFromAcceptor > HANDSHAKE_FRAMES_FROM_ACCEPTOR;
    }
  }

  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final List<Connection> connections = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream seen = new ByteArrayOutputStream();
  private final AtomicReference<Targeted> nextAttack = new AtomicReference<>();

  /** Listens on {@code host:port} and relays each connection to {@code target}. */
  PeerRelay(String host, int port, InetSocketAddress target) throws IOException {
    this.target = target;
    this.listener = new ServerSocket();
    listener.setReuseAddress(true);
    listener.bind(new InetSocketAddress(InetAddress.getByName(host), port), 50);
    Thread acceptor = new Thread(this::accept, "peer-relay-accept-" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The next frame a connection's opener sends after the handshake gets this treatment. */
  void attackNextFrame(Attack attack, Connection on) {
    nextAttack.set(new Targeted(attack, on));
  }

  /** An attack on the next frame of one connection (a node holds several: beats have their own). */
  private record Targeted(Attack attack, Connection on) {}

  /** Every connection so far, oldest first. */
  List<Connection> connections() {
    return List.copyOf(connections);
  }

  /** Everything the relay forwarded, both ways, as ISO-8859-1 text to search bytes in. */
  String seen() {
    synchronized (seen) {
      return seen.toString(StandardCharsets.ISO_8859_1);
    }
  }

  /** Cuts every connection, as a network failure would. */
  void cutAll() {
    open.forEach(PeerRelay::close);
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket opener = listener.accept();
        open.add(opener);
        Socket acceptor;
        try {
          acceptor = new Socket(target.getAddress(), target.getPort());
        } catch (IOException refused) {
          close(opener);
          continue;
        }
        open.add(acceptor);
        Connection connection = new Connection();
        connections.add(connection);
        pump(opener, acceptor, connection, true);
        pump(acceptor, opener, connection, false);
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to, Connection connection, boolean fromOpener) {
    Thread pump =
        new Thread(
            () -> {
              try (DataInputStream in = new DataInputStream(from.getInputStream());
                  OutputStream out = to.getOutputStream()) {
                while (true) {
                  byte[] frame = readFrame(in);
                  int index =
                      fromOpener ? connection.framesFromOpener++ : connection.framesFromAcceptor++;
                  Targeted next = nextAttack.get();
                  Attack attack =
                      fromOpener
                              && index >= HANDSHAKE_FRAMES_FROM_OPENER
                              && next != null
                              && next.on() == connection
                              && nextAttack.compareAndSet(next, null)
                          ? next.attack()
                          : null;
                  if (attack == Attack.FLIP_A_BIT) {
                    frame[4 + (frame.length - 4) / 2] ^= 0x01;
                  }
                  forward(out, frame);
                  if (attack == Attack.REPLAY) {
                    forward(out, frame);
                  }
                  if (attack != null) {
                    connection.attacked = true;
                  }
                }
              } catch (IOException e) {
                // one side closed, or the frame was cut short
              } finally {
                connection.closed = true;
                close(from);
                close(to);
              }
            },
            "peer-relay-pump");
    pump.setDaemon(true);
    pump.start();
  }

  /** One frame as it crossed the wire: its 4-byte length and its body. */
  private static byte[] readFrame(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > 1 << 20) {
      throw new EOFException("not a peer frame"); // relay nothing a peer would refuse anyway
    }
    byte[] frame = new byte[4 + length];
    ByteBuffer.wrap(frame).putInt(length);
    in.readFully(frame, 4, length);
    return frame;
  }

  private void forward(OutputStream out, byte[] frame) throws IOException {
    synchronized (seen) {
      seen.write(frame, 0, frame.length);
    }
    out.write(frame);
    out.flush();
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() {
    close(listener);
    open.forEach(PeerRelay::close);
  }

  private static void close(ServerSocket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
