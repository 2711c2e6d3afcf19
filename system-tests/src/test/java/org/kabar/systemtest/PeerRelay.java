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
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * An on-path attacker between two peer servers: a TCP relay that forwards peer frames one by one in
 * both directions, keeps a copy of every byte it saw, and can be told to alter or repeat one frame
 * sent after the handshake by the side that opened the connection, or cut the links some nodes open
 * without a word, as a partition would.
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

    /** The node that opened the connection, as its HELLO names it. */
    volatile String opener;

    /** True once a frame was swallowed by a cut: the link cannot go on after a heal. */
    volatile boolean lostFrames;

    private volatile Socket[] sockets = new Socket[0];

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
  private volatile Predicate<String> cut = node -> false;

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

  /**
   * Cuts the links opened by these nodes without a word, as a partition does: their frames, and the
   * answers to them, are swallowed in both directions, and new links from them never finish their
   * handshake. Null cuts every link through this relay.
   */
  void cut(Set<String> openers) {
    cut = openers == null ? node -> true : openers::contains;
  }

  /**
   * Ends a cut: links that lost frames to it are closed (their sealed streams cannot go on, as
   * after a real outage the peers' timeouts would end them), and new links pass again.
   */
  void heal() {
    cut = node -> false;
    for (Connection connection : connections) {
      if (connection.lostFrames) {
        for (Socket socket : connection.sockets) {
          close(socket);
        }
      }
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
        connection.sockets = new Socket[] {opener, acceptor};
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
                  if (fromOpener && index == 0) {
                    connection.opener = helloNode(frame);
                  }
                  String node = connection.opener;
                  if (node != null && cut.test(node)) {
                    connection.lostFrames = true;
                    continue; // a partition: nothing crosses, nothing is said
                  }
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

  /** The node a HELLO frame names ({@code HELLO <node> <challenge>}), or "?" for another frame. */
  private static String helloNode(byte[] frame) {
    String text = new String(frame, 4, frame.length - 4, StandardCharsets.ISO_8859_1);
    String[] words = text.split(" ");
    return words.length >= 2 && words[0].equals("HELLO") ? words[1] : "?";
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
