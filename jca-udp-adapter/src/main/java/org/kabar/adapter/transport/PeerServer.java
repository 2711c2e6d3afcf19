package org.kabar.adapter.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The TCP listener for peer servers: accepts connections and hands each to {@link PeerLinks}. */
public final class PeerServer implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(PeerServer.class.getName());

  private final ServerSocket serverSocket;
  private final InetSocketAddress localAddress;

  private PeerServer(ServerSocket serverSocket) {
    this.serverSocket = serverSocket;
    this.localAddress = (InetSocketAddress) serverSocket.getLocalSocketAddress();
  }

  /**
   * Binds the listener.
   *
   * @throws IOException with a message naming the address if the bind fails
   */
  public static PeerServer open(InetSocketAddress address) throws IOException {
    ServerSocket socket = new ServerSocket();
    try {
      socket.setReuseAddress(true); // restart while old links sit in TIME_WAIT
      socket.bind(address, 64);
      return new PeerServer(socket);
    } catch (IOException e) {
      socket.close();
      throw new IOException(
          "cannot bind the peer TCP socket to "
              + ClientSocket.describe(address)
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** Accepts connections until the listener is closed. */
  public void acceptLoop(PeerLinks links) {
    while (!serverSocket.isClosed()) {
      try {
        Socket socket = serverSocket.accept();
        links.accept(socket);
      } catch (SocketException closed) {
        if (serverSocket.isClosed()) {
          return;
        }
        LOG.log(Level.WARNING, "peer accept failed; continuing", closed);
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.WARNING, "peer accept failed; continuing", e);
      }
    }
  }

  /** The bound address, or null once closed. */
  public InetSocketAddress localAddress() {
    return serverSocket.isClosed() ? null : localAddress;
  }

  @Override
  public void close() {
    try {
      serverSocket.close();
    } catch (IOException e) {
      LOG.log(Level.FINE, "closing the peer listener", e);
    }
  }
}
