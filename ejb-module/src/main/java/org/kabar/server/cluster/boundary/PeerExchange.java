package org.kabar.server.cluster.boundary;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.resource.ResourceException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.kabar.adapter.api.MessengerConnection;
import org.kabar.adapter.api.MessengerConnectionFactory;
import org.kabar.adapter.api.PeerMessage;
import org.kabar.protocol.peer.Announce;
import org.kabar.protocol.peer.AskClaim;
import org.kabar.protocol.peer.ChannelRecord;
import org.kabar.protocol.peer.Claim;
import org.kabar.protocol.peer.Claimed;
import org.kabar.protocol.peer.Load;
import org.kabar.protocol.peer.LoadQuery;
import org.kabar.protocol.peer.MemberRecord;
import org.kabar.protocol.peer.MessageRecord;
import org.kabar.protocol.peer.PeerError;
import org.kabar.protocol.peer.PeerFrame;
import org.kabar.protocol.peer.Ping;
import org.kabar.protocol.peer.Pong;
import org.kabar.protocol.peer.SessionRecord;
import org.kabar.protocol.peer.StoredCopies;
import org.kabar.protocol.peer.SyncRequest;
import org.kabar.protocol.peer.Unclaim;
import org.kabar.protocol.peer.UserRecord;
import org.kabar.protocol.peer.UserRemoved;
import org.kabar.protocol.peer.Via;
import org.kabar.server.accounts.boundary.Accounts;
import org.kabar.server.channels.boundary.Channels;
import org.kabar.server.cluster.control.CatchUps;
import org.kabar.server.cluster.control.StoredAcks;
import org.kabar.server.node.ConcurrentUpdates;
import org.kabar.server.node.IdClock;
import org.kabar.server.node.NodeResources;
import org.kabar.server.node.NodeSettings;

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

  @Inject CatchUps catchUps;

  @EJB NameClaims claims;

  @EJB PeerBroadcast peers;

  @EJB Accounts accounts;

  @EJB Replication replication;

  @EJB UserReplication users;

  @EJB ClusterLoad load;

  @EJB Channels channels;

  @Inject IdClock clock;

  @Inject StoredAcks acks;

  @Inject NodeSettings settings;

  /**
   * Handles frames in the order a link's reader queued them: each run of message copies together
   * (merged in one transaction), everything else one at a time.
   */
  public void handleAll(List<PeerMessage> messages) {
    List<Replication.Incoming> run = new ArrayList<>();
    for (PeerMessage message : messages) {
      PeerFrame frame = message.frame();
      if (frame instanceof Via via && via.frame() instanceof MessageRecord copy) {
        run.add(new Replication.Incoming(copy, message, via.reached()));
        continue;
      } else if (frame instanceof MessageRecord copy) {
        run.add(new Replication.Incoming(copy, message, null));
        continue;
      }
      mergeCopies(run);
      handleAlone(message);
    }
    mergeCopies(run);
  }

  private void mergeCopies(List<Replication.Incoming> run) {
    if (run.isEmpty()) {
      return;
    }
    try {
      replication.onMessages(List.copyOf(run));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, run.size() + " copies of messages not merged", e);
    } finally {
      run.clear();
    }
  }

  private void handleAlone(PeerMessage message) {
    try {
      handle(message);
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "a frame from " + message.peerNode() + " failed: " + message.frame().getClass(),
          e);
    }
  }

  /** Handles one frame. */
  public void handle(PeerMessage message) {
    PeerFrame frame = message.frame();
    if (frame instanceof StoredCopies stored) {
      acks.stored(stored.ids());
    } else if (frame instanceof Ping ping) {
      reply(message, new Pong(ping.nonce()));
    } else if (frame instanceof LoadQuery) {
      reply(message, load.local());
    } else if (frame instanceof Load answer) {
      load.received(message.peerNode(), answer);
    } else if (frame instanceof Pong pong) {
      // the nonce is the System.nanoTime() of the ping: its age is the round trip
      Duration roundTrip = Duration.ofNanos(Math.max(0, System.nanoTime() - pong.nonce()));
      String host = message.remote().getHostString();
      int port = message.remote().getPort();
      heard(host, port, roundTrip, null, 0);
    } else if (frame instanceof Announce announce) {
      announced(message, announce);
    } else if (frame instanceof Via via) {
      copy(via.frame(), message, via.reached());
    } else if (Via.carries(frame)) {
      copy(frame, message, null);
    } else if (frame instanceof SyncRequest sync) {
      replication.onSync(sync, message.link());
    } else if (frame instanceof Claim claim) {
      Claimed answer =
          new Claimed(
              claim.claimId(), claims.onClaim(claim.claimId(), claim.name(), message.peerNode()));
      // over this server's heartbeat link to the claimant: the claimant's reader of the link the
      // claim came on may be waiting behind copies, and the registration waits for this answer
      if (!peers.sendControl(message.peerNode(), answer)) {
        reply(message, answer);
      }
    } else if (frame instanceof Claimed claimed) {
      claims.onAnswer(claimed.claimId(), claimed.granted());
    } else if (frame instanceof Unclaim unclaim) {
      claims.onUnclaim(unclaim.claimId(), unclaim.name());
    } else if (frame instanceof AskClaim ask) {
      claims
          .onAsk(ask.claimId(), ask.name())
          .ifPresent(
              answer -> {
                if (!peers.sendControl(message.peerNode(), answer)) {
                  reply(message, answer);
                }
              });
    } else if (frame instanceof UserRecord user) {
      users.onUser(user);
    } else if (frame instanceof UserRemoved removed) {
      accounts.remove(removed.name());
      channels.forget(removed.name());
    } else if (frame instanceof PeerError error) {
      LOG.warning(() -> "peer " + message.remote() + " refused a frame: " + error.text());
    }
  }

  private void announced(PeerMessage message, Announce announce) {
    if (announce.nodeNumber() == clock.node() && !announce.node().equals(settings.nodeName())) {
      LOG.severe(
          () ->
              "server "
                  + announce.node()
                  + " at "
                  + announce.host()
                  + " uses node number "
                  + announce.nodeNumber()
                  + " like this node "
                  + settings.nodeName()
                  + ": ids would collide, so it is not listed; give one of them another"
                  + " KABAR_NODE_NUMBER");
      reply(
          message,
          new PeerError(
              "node-number",
              "node number " + announce.nodeNumber() + " is taken by " + settings.nodeName()));
      return;
    }
    boolean first =
        heard(announce.host(), announce.tcpPort(), null, announce.node(), announce.udpPort());
    if (first) {
      LOG.info(
          () ->
              "server "
                  + announce.node()
                  + " announced itself at "
                  + announce.host()
                  + ":"
                  + announce.tcpPort());
    }
  }

  /**
   * Records a sign of life from a server and, if this server owes it a catch-up (it was taken for
   * dead, or this server started since they last spoke), starts one; true if it did.
   */
  private boolean heard(String host, int port, Duration roundTrip, String node, int udpPort) {
    ServerDirectory.Heard heard =
        catchUps.heardFrom(host, port, () -> record(host, port, roundTrip, node, udpPort));
    boolean owed = catchUps.owed(host, port);
    if (!heard.wasInactive() && !owed) {
      return false;
    }
    catchUp(host, port, catchUps.since(host, port, heard.lastHeard()));
    return true;
  }

  /** Records a sign of life, again if a check of the same server here changed its row first. */
  private ServerDirectory.Heard record(
      String host, int port, Duration roundTrip, String node, int udpPort) {
    for (int attempt = 1; ; attempt++) {
      try {
        return directory.heardFrom(host, port, roundTrip, node, udpPort);
      } catch (EJBException e) {
        boolean raced =
            ConcurrentUpdates.isOptimisticLockFailure(e) || ConcurrentUpdates.isDuplicateKey(e);
        if (!raced || attempt >= 3) {
          throw e;
        }
      }
    }
  }

  /** A copy of a row: merged, and passed on to servers not named in {@code reached}. */
  private void copy(PeerFrame frame, PeerMessage message, List<String> reached) {
    if (frame instanceof MessageRecord copy) {
      replication.onMessage(copy, message, reached);
    } else if (frame instanceof SessionRecord copy) {
      replication.onSession(copy, message, reached);
    } else if (frame instanceof ChannelRecord copy) {
      replication.onChannel(copy, message, reached);
    } else if (frame instanceof MemberRecord copy) {
      replication.onMember(copy, message, reached);
    }
  }

  /**
   * A server is back (or new): both sides exchange what changed while this one did not hear from
   * it, so an update either missed while the other was taken for dead is made good at once. If
   * either half cannot be sent, the server's next sign of life starts the catch-up again, from the
   * same time.
   */
  private void catchUp(String host, int port, Instant lastHeard) {
    long margin = Math.max(60, 2L * settings.peerCheckSeconds()) * 1000L;
    long since = lastHeard.equals(Instant.EPOCH) ? 0 : lastHeard.toEpochMilli() - margin;
    InetSocketAddress peer = new InetSocketAddress(host, port);
    boolean asked = replication.requestSync(peer, since); // what it has that this server missed
    boolean sent =
        replication.pushChangesTo(peer, since); // and what this server has that it missed
    if (asked && sent) {
      LOG.info(() -> "server " + peer + " answers again: catching up both ways");
    } else {
      catchUps.failed(host, port, lastHeard);
      LOG.info(() -> "catch-up with " + peer + " not sent: again at its next answer");
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
