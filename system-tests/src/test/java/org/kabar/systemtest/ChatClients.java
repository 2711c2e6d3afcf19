package org.kabar.systemtest;

import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.kabar.client.Backoff;
import org.kabar.client.MessengerClient;
import org.kabar.client.RefusedException;
import org.kabar.protocol.client.ClientReply;
import org.kabar.protocol.client.ClientReply.Delivery;

/** A real client for a test, with the messages it was shown collected in order. */
final class ChatClients {

  private ChatClients() {}

  /** A client and what it showed its user. */
  record Chatter(MessengerClient client, BlockingQueue<Delivery> shown) implements AutoCloseable {

    /** The next message shown, or null if none within the timeout. */
    Delivery next(Duration timeout) throws InterruptedException {
      return shown.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
      client.close();
    }
  }

  static Chatter connect(InetSocketAddress... servers) throws SocketException {
    return connect(Backoff.DEFAULT, servers);
  }

  static Chatter connect(Backoff backoff, InetSocketAddress... servers) throws SocketException {
    BlockingQueue<Delivery> shown = new LinkedBlockingQueue<>();
    MessengerClient client =
        new MessengerClient(
            List.of(servers),
            backoff,
            (ClientReply push) -> {
              if (push instanceof Delivery delivery) {
                shown.add(delivery);
              }
            },
            true);
    return new Chatter(client, shown);
  }

  /** Something a server may refuse until a copy from another server has reached it. */
  interface Attempt {
    void run() throws Exception;
  }

  /**
   * Runs the attempt until the server stops refusing it, for up to 5 s: replication between servers
   * is immediate, not atomic.
   */
  static void soon(Attempt attempt) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      try {
        attempt.run();
        return;
      } catch (RefusedException notYet) {
        if (System.nanoTime() > deadline) {
          throw notYet;
        }
        Thread.sleep(200);
      }
    }
  }
}
