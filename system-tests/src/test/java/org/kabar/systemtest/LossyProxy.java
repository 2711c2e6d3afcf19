package org.kabar.systemtest;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A UDP relay between one client and a server that drops chosen datagrams from the server, as a
 * lossy network would: the client talks to the relay, the server sees the relay as the client. It
 * keeps a copy of every datagram it carries, either way, as someone listening on the network would.
 */
final class LossyProxy implements AutoCloseable {

  private final DatagramSocket clientSide;
  private final DatagramSocket serverSide;
  private final InetSocketAddress server;
  private final Predicate<String> drop;
  private final AtomicInteger dropped = new AtomicInteger();
  private final List<byte[]> seen = Collections.synchronizedList(new ArrayList<>());
  private volatile InetSocketAddress client;

  /**
   * @param drop decides, for each datagram from the server, whether the network loses it
   */
  LossyProxy(InetSocketAddress server, Predicate<String> drop) throws SocketException {
    this.server = server;
    this.drop = drop;
    this.clientSide = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    this.serverSide = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    start("to-server", clientSide, serverSide, true);
    start("to-client", serverSide, clientSide, false);
  }

  /** Where the client should send. */
  InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", clientSide.getLocalPort());
  }

  int dropped() {
    return dropped.get();
  }

  /** Every datagram carried so far, either way. */
  List<byte[]> seen() {
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  private void start(String name, DatagramSocket from, DatagramSocket to, boolean toServer) {
    Thread relay =
        new Thread(
            () -> {
              byte[] buffer = new byte[2048];
              while (!from.isClosed()) {
                try {
                  DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                  from.receive(packet);
                  seen.add(Arrays.copyOf(buffer, packet.getLength()));
                  if (toServer) {
                    client = (InetSocketAddress) packet.getSocketAddress();
                    to.send(new DatagramPacket(buffer, packet.getLength(), server));
                  } else if (client != null) {
                    String text = new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8);
                    if (drop.test(text)) {
                      dropped.incrementAndGet();
                    } else {
                      to.send(new DatagramPacket(buffer, packet.getLength(), client));
                    }
                  }
                } catch (IOException closed) {
                  return;
                }
              }
            },
            "lossy-proxy-" + name);
    relay.setDaemon(true);
    relay.start();
  }

  @Override
  public void close() {
    clientSide.close();
    serverSide.close();
  }
}
