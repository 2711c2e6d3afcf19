package org.kabar.server.gateway.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.resource.ResourceException;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.kabar.adapter.api.ClientDatagram;
import org.kabar.adapter.api.MessengerConnection;
import org.kabar.adapter.api.MessengerConnectionFactory;
import org.kabar.protocol.client.ClientReply;
import org.kabar.server.node.NodeResources;

/**
 * Sends replies to clients from the node's UDP port. A reply to a datagram whose sender has not
 * proved who it is is never larger than that datagram, so a forged source address cannot turn the
 * node into an amplifier; such replies are withheld and counted instead.
 */
@ApplicationScoped
public class ClientReplies {

  private static final Logger LOG = Logger.getLogger(ClientReplies.class.getName());

  @Resource(lookup = NodeResources.SOCKETS)
  MessengerConnectionFactory sockets;

  private final AtomicLong withheld = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  /**
   * Replies to a datagram from a sender not yet authenticated.
   *
   * @return true if the reply was sent, false if withheld or the send failed
   */
  public boolean sendUnauthenticated(ClientDatagram to, ClientReply reply) {
    try (MessengerConnection connection = sockets.getConnection()) {
      if (connection.encodedSize(reply) > to.sizeBytes()) {
        withheld.incrementAndGet();
        LOG.fine(() -> "reply to " + to.sender() + " withheld: larger than its datagram");
        return false;
      }
      connection.send(to.sender(), reply);
      return true;
    } catch (ResourceException | IOException e) {
      failed.incrementAndGet();
      LOG.log(Level.WARNING, "reply to " + to.sender() + " not sent", e);
      return false;
    }
  }

  /** Replies withheld by the anti-amplification rule since the node started. */
  public long withheld() {
    return withheld.get();
  }

  /** Replies the socket failed to send since the node started. */
  public long failed() {
    return failed.get();
  }
}
