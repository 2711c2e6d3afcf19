package org.kabar.systemtest;

import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.kabar.client.Backoff;
import org.kabar.client.MessengerClient;
import org.kabar.client.RefusedException;
import org.kabar.protocol.client.ClientReply;
import org.kabar.protocol.client.ClientReply.Delivery;
import org.kabar.protocol.client.ClientReply.OnlineUsers;

/** A real client for a test, with the messages it was shown collected in order. */
final class ChatClients {

  private ChatClients() {}

  /** A client, the messages it showed its user, and the lists of who is online it was told. */
  record Chatter(
      MessengerClient client, BlockingQueue<Delivery> shown, BlockingQueue<OnlineUsers> onlineLists)
      implements AutoCloseable {

    /** The next message shown, or null if none within the timeout. */
    Delivery next(Duration timeout) throws InterruptedException {
      return shown.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The first list of who is online, told within the timeout, that passes the check; or null. */
    OnlineUsers toldOnline(Predicate<List<String>> check, Duration timeout)
        throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      for (long left; (left = deadline - System.nanoTime()) > 0; ) {
        OnlineUsers list = onlineLists.poll(left, TimeUnit.NANOSECONDS);
        if (list != null && check.test(list.users())) {
          return list;
        }
      }
      return null;
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
    BlockingQueue<OnlineUsers> onlineLists = new LinkedBlockingQueue<>();
    MessengerClient client =
        new MessengerClient(
            List.of(servers),
            backoff,
            (ClientReply push) -> {
              if (push instanceof Delivery delivery) {
                shown.add(delivery);
              } else if (push instanceof OnlineUsers list) {
                onlineLists.add(list);
              }
            },
            true);
    return new Chatter(client, shown, onlineLists);
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
