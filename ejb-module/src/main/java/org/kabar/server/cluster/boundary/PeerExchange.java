package org.kabar.server.cluster.boundary;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.resource.ResourceException;
import java.io.IOException;
import java.util.logging.Logger;
import org.kabar.adapter.api.MessengerConnection;
import org.kabar.adapter.api.MessengerConnectionFactory;
import org.kabar.adapter.api.PeerMessage;
import org.kabar.protocol.peer.PeerError;
import org.kabar.protocol.peer.PeerFrame;
import org.kabar.protocol.peer.Ping;
import org.kabar.protocol.peer.Pong;
import org.kabar.server.node.NodeResources;

/** Handles frames from peer servers: answers liveness pings, logs refusals. */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class PeerExchange {

  private static final Logger LOG = Logger.getLogger(PeerExchange.class.getName());

  @Resource(lookup = NodeResources.SOCKETS)
  MessengerConnectionFactory sockets;

  /** Handles one frame. */
  public void handle(PeerMessage message) {
    PeerFrame frame = message.frame();
    if (frame instanceof Ping ping) {
      reply(message, new Pong(ping.nonce()));
    } else if (frame instanceof Pong pong) {
      LOG.fine(() -> "pong " + pong.nonce() + " from " + message.remote());
    } else if (frame instanceof PeerError error) {
      LOG.warning(() -> "peer " + message.remote() + " refused a frame: " + error.text());
    }
  }

  private void reply(PeerMessage to, PeerFrame frame) {
    try (MessengerConnection connection = sockets.getConnection()) {
      connection.reply(to.link(), frame);
    } catch (ResourceException | IOException e) {
      LOG.warning(() -> "reply to peer " + to.remote() + " not sent: " + e.getMessage());
    }
  }
}
