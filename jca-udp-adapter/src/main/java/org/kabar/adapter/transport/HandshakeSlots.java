package org.kabar.adapter.transport;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The accepted sockets still in their handshake, counted apart from the authenticated links: at
 * most a few in all, and fewer from any one address. When all are taken the oldest gives way to a
 * newcomer: a real peer finishes in a round trip or two, so the socket that has waited longest is
 * the one most likely to be holding on without ever finishing.
 */
final class HandshakeSlots {

  /** The outcome of asking for a slot. */
  record Admission(boolean admitted, PendingHandshake displaced) {}

  private final int max;
  private final int perAddress;
  private final Deque<PendingHandshake> waiting = new ArrayDeque<>();
  private final Map<InetAddress, Integer> byAddress = new HashMap<>();

  HandshakeSlots(int max, int perAddress) {
    this.max = max;
    this.perAddress = perAddress;
  }

  /**
   * Takes a slot for the handshake: refused if its address holds its share already; if all slots
   * are taken, the oldest handshake is displaced (the caller cuts it short).
   */
  synchronized Admission admit(PendingHandshake handshake) {
    if (byAddress.getOrDefault(handshake.from(), 0) >= perAddress) {
      return new Admission(false, null);
    }
    PendingHandshake displaced = null;
    if (waiting.size() >= max) {
      displaced = waiting.pollFirst();
      uncount(displaced.from());
    }
    waiting.addLast(handshake);
    byAddress.merge(handshake.from(), 1, Integer::sum);
    return new Admission(true, displaced);
  }

  /** Gives the handshake's slot back, if it still holds one. */
  synchronized void release(PendingHandshake handshake) {
    if (waiting.remove(handshake)) {
      uncount(handshake.from());
    }
  }

  /** Handshakes holding a slot now. */
  synchronized int size() {
    return waiting.size();
  }

  private void uncount(InetAddress address) {
    byAddress.computeIfPresent(address, (a, n) -> n > 1 ? n - 1 : null);
  }
}
