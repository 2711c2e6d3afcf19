package org.kabar.systemtest;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A test client speaking the client protocol over a real UDP socket. */
public final class UdpClient implements AutoCloseable {

  private final DatagramSocket socket;
  private final InetSocketAddress server;

  public UdpClient(String host, int port) throws IOException {
    this(host, port, new DatagramSocket());
  }

  /** A client sending from a chosen local address, e.g. another 127.0.0.x. */
  public UdpClient(String host, int port, String localAddress) throws IOException {
    this(host, port, new DatagramSocket(new InetSocketAddress(localAddress, 0)));
  }

  private UdpClient(String host, int port, DatagramSocket socket) throws IOException {
    this.socket = socket;
    this.server = new InetSocketAddress(host, port);
    socket.setReceiveBufferSize(8 * 1024 * 1024);
    socket.setSoTimeout(2_000);
  }

  public void send(String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    socket.send(new DatagramPacket(bytes, bytes.length, server));
  }

  /** The next datagram's text, or null if none arrives within the timeout. */
  public String receive() throws IOException {
    DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
    try {
      socket.receive(packet);
    } catch (SocketTimeoutException e) {
      return null;
    }
    return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
  }

  /** Sends and waits for the reply, retrying a few times as a real client would. */
  public String request(String text) throws IOException {
    for (int attempt = 0; attempt < 5; attempt++) {
      send(text);
      String reply = receive();
      if (reply != null) {
        return reply;
      }
    }
    return null;
  }

  public DatagramSocket socket() {
    return socket;
  }

  @Override
  public void close() {
    socket.close();
  }
}
