package org.kabar.adapter.api;

import java.net.InetSocketAddress;

/**
 * A snapshot of the adapter's sockets and inbound queues, for readiness checks and metrics.
 *
 * @param udpAddress the bound client socket address, or null if not bound
 * @param tcpAddress the bound peer socket address, or null if not bound
 * @param receiveBufferRequested the SO_RCVBUF size asked for, in bytes
 * @param receiveBufferGranted the SO_RCVBUF size the operating system granted, in bytes
 * @param client both client datagram queues together
 * @param open the queue of client datagrams without a session (logins, registrations, liveness
 *     checks), served by threads of its own
 * @param peer the peer frame queue
 * @param openPeerLinks TCP links to peers currently open
 */
public record AdapterStatus(
    InetSocketAddress udpAddress,
    InetSocketAddress tcpAddress,
    int receiveBufferRequested,
    int receiveBufferGranted,
    QueueStatus client,
    QueueStatus open,
    QueueStatus peer,
    int openPeerLinks) {

  /** True when both sockets are bound and listening. */
  public boolean listening() {
    return udpAddress != null && tcpAddress != null;
  }

  /**
   * Counters of one inbound queue.
   *
   * @param received items read from the socket
   * @param delivered items handed to the message-driven bean
   * @param dropped items dropped because the queue stayed full
   * @param failed deliveries where the bean threw
   * @param shed items answered by the adapter itself, not delivered (SENDs refused busy)
   * @param depth items waiting now
   * @param capacity the queue's bound
   * @param endpointActive whether a message-driven bean is activated for this queue
   */
  public record QueueStatus(
      long received,
      long delivered,
      long dropped,
      long failed,
      long shed,
      int depth,
      int capacity,
      boolean endpointActive) {}
}
