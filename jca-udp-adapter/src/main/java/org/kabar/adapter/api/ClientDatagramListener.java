package org.kabar.adapter.api;

import java.util.List;

/** Inbound contract for client datagrams; implemented by one message-driven bean. */
public interface ClientDatagramListener {

  /** Called once for a datagram received on the client UDP socket, delivered on its own. */
  void onDatagram(ClientDatagram datagram);

  /**
   * Called with the datagrams a worker took from the queue together (at most the queue's batch
   * size, in the order received): everything that waited, so that a busy node serves hundreds of
   * requests per delivery and per shared transaction, an idle one a single request.
   */
  void onDatagrams(List<ClientDatagram> datagrams);
}
