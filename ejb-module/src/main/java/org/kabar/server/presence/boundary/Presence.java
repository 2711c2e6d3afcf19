package org.kabar.server.presence.boundary;

import jakarta.ejb.Stateless;
import org.kabar.adapter.api.ClientDatagram;
import org.kabar.protocol.client.Alive;
import org.kabar.protocol.client.ClientReply;

/** Answers the client's liveness check {@code /@live?} (seed S3.7). */
@Stateless
public class Presence {

  /** The server is alive: answer {@code yes}. */
  public ClientReply alive(ClientDatagram datagram) {
    return new Alive();
  }
}
