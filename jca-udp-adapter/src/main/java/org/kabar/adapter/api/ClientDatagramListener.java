package org.kabar.adapter.api;

/** Inbound contract for client datagrams; implemented by one message-driven bean. */
public interface ClientDatagramListener {

  /** Called once for each datagram received on the client UDP socket. */
  void onDatagram(ClientDatagram datagram);
}
