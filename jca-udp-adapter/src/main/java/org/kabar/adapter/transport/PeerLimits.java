package org.kabar.adapter.transport;

/**
 * How many peer connections a node keeps open and how long it waits on them. Sockets that have not
 * proved the key yet have slots of their own, so strangers never take the links of real peers.
 *
 * @param maxLinks authenticated links at most, accepted and dialled together
 * @param maxHandshakes accepted sockets still in the handshake at most
 * @param maxHandshakesPerAddress of those, at most this many from one remote address
 * @param handshakeMillis the time from accept (or connect) to a finished handshake, at most
 * @param idleTimeoutMillis an authenticated link silent this long is closed
 * @param connectTimeoutMillis how long dialling a peer may take
 */
public record PeerLimits(
    int maxLinks,
    int maxHandshakes,
    int maxHandshakesPerAddress,
    int handshakeMillis,
    int idleTimeoutMillis,
    int connectTimeoutMillis) {
  public PeerLimits {
    positive("maxLinks", maxLinks);
    positive("maxHandshakes", maxHandshakes);
    positive("maxHandshakesPerAddress", maxHandshakesPerAddress);
    positive("handshakeMillis", handshakeMillis);
    positive("idleTimeoutMillis", idleTimeoutMillis);
    positive("connectTimeoutMillis", connectTimeoutMillis);
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, was " + value);
    }
  }
}
