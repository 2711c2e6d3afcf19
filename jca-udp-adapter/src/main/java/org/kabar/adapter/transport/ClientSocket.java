package org.kabar.adapter.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.kabar.adapter.api.ClientDatagram;
import org.kabar.adapter.inbound.InboundQueue;
import org.kabar.protocol.client.ClientCodec;
import org.kabar.protocol.client.ClientRequest;
import org.kabar.protocol.client.InvalidRequest;
import org.kabar.protocol.client.Request;

/**
 * The client UDP socket: one blocking reader loop decodes each datagram and queues it, a session's
 * requests (they carry a token) in one queue and everything else (logins, registrations, liveness
 * checks, garbage) in another with threads of its own, so that work before a session never holds up
 * the sessions; any thread may send replies from the same socket, so clients see every answer come
 * from the server's port.
 */
public final class ClientSocket implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ClientSocket.class.getName());

  private final DatagramChannel channel;
  private final InetSocketAddress localAddress;
  private final int receiveBufferRequested;
  private final int receiveBufferGranted;

  private ClientSocket(DatagramChannel channel, int requested, int granted) throws IOException {
    this.channel = channel;
    this.localAddress = (InetSocketAddress) channel.getLocalAddress();
    this.receiveBufferRequested = requested;
    this.receiveBufferGranted = granted;
  }

  /**
   * Binds the socket.
   *
   * @param address the address and port to bind
   * @param receiveBufferBytes the SO_RCVBUF to ask for; the OS may grant less
   * @throws IOException with a message naming the address if the bind fails
   */
  public static ClientSocket open(InetSocketAddress address, int receiveBufferBytes)
      throws IOException {
    DatagramChannel channel = DatagramChannel.open();
    try {
      channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
      int granted = channel.getOption(StandardSocketOptions.SO_RCVBUF);
      channel.bind(address);
      return new ClientSocket(channel, receiveBufferBytes, granted);
    } catch (IOException e) {
      channel.close();
      throw new IOException(
          "cannot bind the client UDP socket to " + describe(address) + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads datagrams until the socket is closed, queueing each decoded one.
   *
   * @param sessions the queue for requests that carry a session token
   * @param open the queue for everything else
   */
  public void receiveLoop(
      InboundQueue<ClientDatagram> sessions, InboundQueue<ClientDatagram> open) {
    // one byte more than allowed, so an oversized datagram is seen as such and not truncated
    ByteBuffer buffer = ByteBuffer.allocateDirect(ClientCodec.MAX_DATAGRAM_BYTES + 1);
    while (channel.isOpen()) {
      try {
        buffer.clear();
        SocketAddress sender = channel.receive(buffer);
        buffer.flip();
        int size = buffer.remaining();
        ClientRequest request = ClientCodec.decode(buffer);
        (ofASession(request) ? sessions : open)
            .offer(new ClientDatagram((InetSocketAddress) sender, request, size, Instant.now()));
      } catch (ClosedChannelException closed) {
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.WARNING, "client socket receive failed; continuing", e);
      }
    }
  }

  /** Whether a request carries a session's token (valid or not: the server decides). */
  static boolean ofASession(ClientRequest request) {
    return (request instanceof Request framed && framed.token() != null)
        || (request instanceof InvalidRequest invalid && invalid.token() != null);
  }

  /** Sends one datagram from this socket; returns the bytes sent. */
  public int send(InetSocketAddress target, byte[] datagram) throws IOException {
    return channel.send(ByteBuffer.wrap(datagram), target);
  }

  /** The bound address, or null once closed. */
  public InetSocketAddress localAddress() {
    return channel.isOpen() ? localAddress : null;
  }

  public int receiveBufferRequested() {
    return receiveBufferRequested;
  }

  public int receiveBufferGranted() {
    return receiveBufferGranted;
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.log(Level.FINE, "closing the client socket", e);
    }
  }

  static String describe(InetSocketAddress address) {
    return address.getHostString() + ":" + address.getPort();
  }
}
