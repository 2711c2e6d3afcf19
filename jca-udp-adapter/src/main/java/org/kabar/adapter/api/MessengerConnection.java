package org.kabar.adapter.api;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import org.kabar.protocol.client.ClientReply;
import org.kabar.protocol.peer.PeerFrame;

/**
 * A handle on the adapter's sockets for an EJB: replies to clients leave from the client UDP port,
 * frames to peers travel over the adapter's TCP links.
 */
public interface MessengerConnection extends AutoCloseable {

  /**
   * Sends one datagram to a client from the adapter's UDP socket.
   *
   * @return the number of bytes sent
   */
  int send(InetSocketAddress client, ClientReply reply) throws IOException;

  /**
   * Sends the same datagram to many clients, encoded once (a notice to everyone connected). A
   * client the socket fails to send to is skipped.
   *
   * @return how many clients it was sent to
   */
  int sendToAll(List<InetSocketAddress> clients, ClientReply reply);

  /** Sends a frame back over the link another frame arrived on. */
  void reply(PeerLinkId link, PeerFrame frame) throws IOException;

  /**
   * Sends frames back over the link another frame arrived on, in order, on a lane of the link's
   * outbox.
   *
   * @throws IOException if the link is closed, or its live lane has no room (then a {@code
   *     PeerLinkBusy}: the peer is slow, not gone)
   */
  void reply(PeerLinkId link, List<? extends PeerFrame> frames, PeerLane lane) throws IOException;

  /**
   * Sends a frame to a peer server on the live lane, opening a link to it if none is open; frames
   * the peer sends back arrive through {@link PeerFrameListener}. The frame is queued in the link's
   * outbox and written by the link's own writer: this never waits on the peer.
   *
   * @return the link the frame went over
   */
  PeerLinkId sendToPeer(InetSocketAddress peer, PeerFrame frame) throws IOException;

  /**
   * Sends frames to a peer server, in order, on a lane of the link's outbox (opening a link if none
   * is open). The live lane takes them all or none and never waits; the catch-up lane waits for
   * room as the peer reads.
   *
   * @return the link the frames went over
   * @throws IOException if no link could be opened, it closed, or (live) it has no room
   */
  PeerLinkId sendToPeer(InetSocketAddress peer, List<? extends PeerFrame> frames, PeerLane lane)
      throws IOException;

  /**
   * The peers to send heartbeats to from now on, by listening address (every other server of the
   * list): the adapter keeps a link of its own to each and beats on it once a second.
   */
  void watchPeers(Collection<InetSocketAddress> peers);

  /**
   * Sends a frame over this node's heartbeat link to the peer that proved the given node name: a
   * link whose reader at the peer never waits behind copies, for the frames a caller waits on
   * (claims for names and their answers).
   *
   * @throws IOException if no heartbeat link to that node is open
   */
  void sendControl(String node, PeerFrame frame) throws IOException;

  /** What the heartbeats say of every peer now: see {@link PeerLiveness}. */
  List<PeerLiveness> peerLiveness();

  /** The current state of the adapter's sockets and queues. */
  AdapterStatus status();

  /** Returns the handle to the pool; never throws. */
  @Override
  void close();
}
