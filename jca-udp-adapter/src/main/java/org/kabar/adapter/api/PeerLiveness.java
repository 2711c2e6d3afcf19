package org.kabar.adapter.api;

import java.net.InetSocketAddress;

/**
 * What this node knows of one peer's heartbeats ({@code BEAT} frames), at the moment asked.
 *
 * @param address the peer's listening address, if this node beats to it; null for a peer that beats
 *     to this node but is not (yet) one this node was asked to watch
 * @param node the node name the peer proved with the deployment key (on this node's beat link to
 *     it, or on the link its beats arrive on); null if neither has happened yet
 * @param linkUp whether this node's own beat link to {@code address} is open
 * @param refused whether the last attempt to open that link found nothing listening (the peer's
 *     port refused the connection): the server is not running there
 * @param incarnation the incarnation of the peer's last beat (it changes when the peer starts
 *     again), 0 if none was heard
 * @param silentMillis milliseconds since the peer's last beat arrived, {@link Long#MAX_VALUE} if
 *     none ever did
 */
public record PeerLiveness(
    InetSocketAddress address,
    String node,
    boolean linkUp,
    boolean refused,
    long incarnation,
    long silentMillis) {

  /** Whether any beat of the peer ever arrived since this node started. */
  public boolean everHeard() {
    return silentMillis != Long.MAX_VALUE;
  }
}
