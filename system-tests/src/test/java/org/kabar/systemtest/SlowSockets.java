package org.kabar.systemtest;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An attacker holding connections to a node's peer port open without ever finishing a frame: each
 * of its sockets sends one byte of a frame every few seconds, and is opened again as soon as the
 * node closes it.
 */
final class SlowSockets implements AutoCloseable {

  /** How often each socket sends its next byte: under the node's 5 s wait for any one read. */
  private static final int TRICKLE_MILLIS = 3_000;

  /** How long a refused socket waits before trying again, so the attack does not spin. */
  private static final long RETRY_MILLIS = 200;

  private final InetSocketAddress node;
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicInteger connects = new AtomicInteger();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger closedByNode = new AtomicInteger();
  private volatile boolean stopped;

  /**
   * Starts {@code count} sockets to the node, {@code perAddress} from each loopback address from
   * {@code firstSource} on (127.0.5.N, N counting up): an attacker spread over several addresses.
   */
  SlowSockets(InetSocketAddress node, int count, int perAddress, int firstSource) {
    this.node = node;
    for (int i = 0; i < count; i++) {
      String source = "127.0.5." + (firstSource + i / perAddress);
      Thread thread = new Thread(() -> trickle(source), "slow-socket-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  /** Connections made so far. */
  int connects() {
    return connects.get();
  }

  /** Sockets open right now, as far as the attacker knows. */
  int open() {
    return open.get();
  }

  /** Times the node closed one of the sockets (refused, or gave up on it). */
  int closedByNode() {
    return closedByNode.get();
  }

  private void trickle(String source) {
    while (!stopped) {
      try (Socket socket = new Socket()) {
        socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        socket.connect(node, 3_000);
        connects.incrementAndGet();
        open.incrementAndGet();
        try {
          hold(socket);
        } finally {
          open.decrementAndGet();
        }
        closedByNode.incrementAndGet();
      } catch (IOException refusedOrReset) {
        // the node refused or reset the connection: try again, as an attacker would
      }
      pause();
    }
  }

  /** Sends a frame's length, then its body, a byte at a time; returns when the node closes. */
  private void hold(Socket socket) throws IOException {
    socket.setSoTimeout(TRICKLE_MILLIS);
    InputStream in = socket.getInputStream();
    byte[] frame = {0, 0, 0, 100, 'H', 'E', 'L', 'L', 'O', ' '};
    for (int sent = 0; !stopped; sent++) {
      socket.getOutputStream().write(frame[Math.min(sent, frame.length - 1)]);
      try {
        while (in.read() >= 0) {
          // the node answered (a refusal): read on until it closes
        }
        return;
      } catch (SocketTimeoutException quiet) {
        // the node still waits for the rest: send the next byte
      }
    }
  }

  private void pause() {
    try {
      Thread.sleep(RETRY_MILLIS); // the attacker's own pace, not a test waiting for something
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = true;
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    for (Thread thread : threads) {
      thread.interrupt();
    }
    for (Thread thread : threads) {
      thread.join(10_000);
    }
  }
}
