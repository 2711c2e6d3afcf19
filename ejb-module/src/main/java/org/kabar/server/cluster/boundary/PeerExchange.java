package org.kabar.server.cluster.boundary;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.resource.ResourceException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;
import org.kabar.adapter.api.MessengerConnection;
import org.kabar.adapter.api.MessengerConnectionFactory;
import org.kabar.adapter.api.PeerMessage;
import org.kabar.protocol.peer.Announce;
import org.kabar.protocol.peer.Claim;
import org.kabar.protocol.peer.Claimed;
import org.kabar.protocol.peer.PeerError;
import org.kabar.protocol.peer.PeerFrame;
import org.kabar.protocol.peer.Ping;
import org.kabar.protocol.peer.Pong;
import org.kabar.protocol.peer.UserRecord;
import org.kabar.protocol.peer.UserRemoved;
import org.kabar.server.accounts.boundary.Accounts;
import org.kabar.server.node.NodeResources;

/**
 * Handles frames from authenticated peer servers: answers pings, records the round trip of pongs
 * and the servers that announce themselves, logs refusals.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class PeerExchange {

  private static final Logger LOG = Logger.getLogger(PeerExchange.class.getName());

  @Resource(lookup = NodeResources.SOCKETS)
  MessengerConnectionFactory sockets;

  @EJB ServerDirectory directory;

  @EJB NameClaims claims;

  @EJB Accounts accounts;

  /** Handles one frame. */
  public void handle(PeerMessage message) {
    PeerFrame frame = message.frame();
    if (frame instanceof Ping ping) {
      reply(message, new Pong(ping.nonce()));
    } else if (frame instanceof Pong pong) {
      // the nonce is the System.nanoTime() of the ping: its age is the round trip
      Duration roundTrip = Duration.ofNanos(Math.max(0, System.nanoTime() - pong.nonce()));
      directory.heardFrom(message.remote().getHostString(), message.remote().getPort(), roundTrip);
    } else if (frame instanceof Announce announce) {
      directory.heardFrom(announce.host(), announce.tcpPort(), null);
      LOG.info(
          () ->
              "server "
                  + announce.node()
                  + " announced itself at "
                  + announce.host()
                  + ":"
                  + announce.tcpPort());
    } else if (frame instanceof Claim claim) {
      reply(message, new Claimed(claim.claimId(), claims.onClaim(claim.claimId(), claim.name())));
    } else if (frame instanceof Claimed claimed) {
      claims.onAnswer(claimed.claimId(), claimed.granted());
    } else if (frame instanceof UserRecord user) {
      accounts.importUser(
          user.name(), user.passwordHash(), Instant.ofEpochMilli(user.createdAtMillis()));
      claims.release(user.name());
    } else if (frame instanceof UserRemoved removed) {
      accounts.remove(removed.name());
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
