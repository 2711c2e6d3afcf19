package org.kabar.adapter.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A socket whose handshake has not finished: where it came from, when its time is up, and how it
 * ended. It ends once, either finished by its own thread or cut short (a refusal, its deadline, or
 * a newer socket needing its slot); whoever ends it says why, so each ending is logged once.
 */
final class PendingHandshake implements Delayed {

  private static final String FINISHED = "finished";

  private final Socket socket;
  private final InetAddress from;
  private final long deadlineNanos;
  private final AtomicReference<String> ending = new AtomicReference<>();

  PendingHandshake(Socket socket, long timeoutMillis) {
    this.socket = socket;
    this.from = socket.getInetAddress();
    this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
  }

  Socket socket() {
    return socket;
  }

  /** The remote address, whose handshakes are counted together. */
  InetAddress from() {
    return from;
  }

  /**
   * Marks the handshake finished.
   *
   * @return false if it had been cut short before
   */
  boolean finish() {
    return ending.compareAndSet(null, FINISHED);
  }

  /**
   * Cuts the handshake short for a reason, unless it has ended already.
   *
   * @return true if this call ended it: the caller then logs the reason and closes the socket
   */
  boolean cut(String reason) {
    return ending.compareAndSet(null, reason);
  }

  /** Cuts the handshake short and closes its socket; true if this call ended it. */
  boolean cutAndClose(String reason) {
    boolean ended = cut(reason);
    if (ended) {
      closeSocket();
    }
    return ended;
  }

  /** Why it was cut short, or null while it runs or once it finished. */
  String cutBecause() {
    String why = ending.get();
    return FINISHED.equals(why) ? null : why;
  }

  void closeSocket() {
    try {
      socket.close();
    } catch (IOException alreadyGone) {
      // nothing left to release
    }
  }

  @Override
  public long getDelay(TimeUnit unit) {
    return unit.convert(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
  }

  @Override
  public int compareTo(Delayed other) {
    return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
  }
}
