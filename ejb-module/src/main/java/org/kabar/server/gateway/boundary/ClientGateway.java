package org.kabar.server.gateway.boundary;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import org.kabar.adapter.api.ClientDatagram;
import org.kabar.protocol.client.ClientReply;
import org.kabar.protocol.client.ClientRequest;
import org.kabar.protocol.client.ErrorReply;
import org.kabar.protocol.client.InvalidRequest;
import org.kabar.protocol.client.LiveCheck;
import org.kabar.server.gateway.control.ClientReplies;
import org.kabar.server.presence.boundary.Presence;

/**
 * Routes each client request to the component that serves it and sends the reply. It runs outside
 * any transaction on purpose: each component commits before its reply leaves, so a client is never
 * told about something the database does not hold.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ClientGateway {

  @EJB Presence presence;

  @Inject ClientReplies replies;

  /** Serves one datagram: route, then reply. */
  public void serve(ClientDatagram datagram) {
    replies.sendUnauthenticated(datagram, route(datagram, datagram.request()));
  }

  private ClientReply route(ClientDatagram datagram, ClientRequest request) {
    if (request instanceof LiveCheck) {
      return presence.alive(datagram);
    }
    if (request instanceof InvalidRequest invalid) {
      return new ErrorReply(invalid.code(), invalid.detail());
    }
    throw new IllegalStateException("no route for " + request.getClass().getSimpleName());
  }
}
