package org.kabar.adapter.transport;

import java.util.concurrent.DelayQueue;
import java.util.concurrent.TimeUnit;

/**
 * Closes every socket whose handshake is not finished by its deadline, however slowly its peer
 * keeps sending: the wait for any one read is not a limit, since a byte every few seconds would
 * renew it for ever. One loop for the whole node.
 */
final class HandshakeDeadlines implements AutoCloseable {

  private final DelayQueue<PendingHandshake> queue = new DelayQueue<>();
  private final RefusalLog refusals;
  private final String limit;
  private volatile boolean stopped;

  HandshakeDeadlines(RefusalLog refusals, int timeoutMillis) {
    this.refusals = refusals;
    this.limit = timeoutMillis % 1000 == 0 ? timeoutMillis / 1000 + " s" : timeoutMillis + " ms";
  }

  /** Watches the handshake until {@link #done}, or until its deadline cuts it short. */
  void watch(PendingHandshake handshake) {
    queue.add(handshake);
  }

  /** The handshake ended (finished or refused): no deadline for it any more. */
  void done(PendingHandshake handshake) {
    queue.remove(handshake);
  }

  /** The loop; it returns within a second of {@link #close}. */
  void run() {
    while (!stopped) {
      try {
        PendingHandshake late = queue.poll(1, TimeUnit.SECONDS);
        if (late != null && late.cutAndClose("did not finish the handshake within " + limit)) {
          refusals.warning(
              "peer "
                  + late.socket().getRemoteSocketAddress()
                  + " did not finish the handshake within "
                  + limit
                  + "; closed");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void close() {
    stopped = true;
    for (PendingHandshake waiting : queue) {
      waiting.cutAndClose("the node stopped");
    }
    queue.clear();
  }
}
