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
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.logging.Logger;
import org.kabar.adapter.api.MessengerConnection;
import org.kabar.adapter.api.MessengerConnectionFactory;
import org.kabar.protocol.peer.PeerFrame;
import org.kabar.protocol.peer.Ping;
import org.kabar.server.cluster.control.ActivePeers.Peer;
import org.kabar.server.cluster.entity.ServerEntry;
import org.kabar.server.node.NodeResources;
import org.kabar.server.node.NodeSettings;

/**
 * Sends frames to other servers: to every active one (seed S3.2, the periodic copies), or along the
 * nearest links (seed S3.8); an unreachable server becomes inactive and is skipped.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class PeerBroadcast {

  private static final Logger LOG = Logger.getLogger(PeerBroadcast.class.getName());

  @Resource(lookup = NodeResources.SOCKETS)
  MessengerConnectionFactory sockets;

  @EJB ServerDirectory directory;

  @Inject NodeSettings settings;

  /**
   * Sends the frame to each active server but this one.
   *
   * @return the servers it reached
   */
  public List<InetSocketAddress> toActivePeers(PeerFrame frame) {
    return toActivePeers(List.of(frame));
  }

  /**
   * Sends the frames, in order, to each active server but this one: the periodic copy, and what the
   * seed sends to all at once (new users).
   *
   * @return the servers it reached
   */
  public List<InetSocketAddress> toActivePeers(List<? extends PeerFrame> frames) {
    return send(frames, Integer.MAX_VALUE, null);
  }

  /**
   * Sends the frames along this server's nearest links (seed S3.8): to the {@code
   * KABAR_PEER_FANOUT} nearest active servers, skipping the server they came from; a server that
   * cannot be reached is marked inactive and the next nearest takes its place, so one dead link
   * loses nothing. Each receiver passes on what changed its tables, and only that, so updates
   * spread to every server and stop. When passing frames on, a server whose name is not known yet
   * (listed by address, not yet announced) gets them without counting towards the fanout.
   *
   * @param cameFrom the node name of the server the frames came from, or null for this server's own
   *     updates
   * @return the servers it reached
   */
  public List<InetSocketAddress> toNearest(List<? extends PeerFrame> frames, String cameFrom) {
    return send(frames, settings.peerFanout(), cameFrom);
  }

  /**
   * Sends frames to the server with this node name, if it is listed and active and not among the
   * servers they already reached.
   */
  public boolean toNode(
      String node, List<? extends PeerFrame> frames, Collection<InetSocketAddress> reached) {
    for (Peer server : directory.activePeers()) {
      if (node.equals(server.node()) && !settings.isSelf(server.address(), server.port())) {
        return reached.contains(new InetSocketAddress(server.address(), server.port()))
            || sendTo(server, frames);
      }
    }
    return false;
  }

  /**
   * Whether the server still accepts a connection (a ping goes out): a process that died does not,
   * one that is merely slow to answer does. Marks it inactive if not.
   */
  public boolean reachable(ServerEntry server) {
    return sendTo(
        new Peer(server.address(), server.port(), server.node()),
        List.of(new Ping(System.nanoTime())));
  }

  /**
   * Sends a frame a caller waits on (a claim for a name) to each active server but this one, over
   * the heartbeat link to it where one is open, so that it never waits behind copies; over the
   * usual link otherwise.
   *
   * @return how many servers it reached
   */
  public int toActivePeersPromptly(PeerFrame frame) {
    int reached = 0;
    for (Peer server : directory.activePeers()) {
      if (settings.isSelf(server.address(), server.port())) {
        continue;
      }
      if (server.node() != null && sendControl(server.node(), frame)) {
        reached++;
      } else if (sendTo(server, List.of(frame))) {
        reached++;
      }
    }
    return reached;
  }

  /**
   * Sends a frame to a node over this server's heartbeat link to it.
   *
   * @return false if no such link is open
   */
  public boolean sendControl(String node, PeerFrame frame) {
    try (MessengerConnection connection = sockets.getConnection()) {
      connection.sendControl(node, frame);
      return true;
    } catch (IOException | ResourceException e) {
      LOG.fine(() -> "no heartbeat link to " + node + ": " + e.getMessage());
      return false;
    }
  }

  /** Whether any other server is active: if none, an update has nowhere to go. */
  public boolean anyActive() {
    return directory.activePeers().stream()
        .anyMatch(server -> !settings.isSelf(server.address(), server.port()));
  }

  private List<InetSocketAddress> send(
      List<? extends PeerFrame> frames, int fanout, String cameFrom) {
    List<InetSocketAddress> reached = new ArrayList<>();
    if (frames.isEmpty()) {
      return reached;
    }
    int counted = 0;
    for (Peer server : directory.activePeers()) {
      if (counted >= fanout) {
        break;
      }
      if (settings.isSelf(server.address(), server.port())
          || (cameFrom != null && cameFrom.equals(server.node()))) {
        continue;
      }
      if (sendTo(server, frames)) {
        reached.add(new InetSocketAddress(server.address(), server.port()));
        // A server listed by address that has not announced its name yet may be the one the
        // frames came from: it finds nothing new in them and stops there, so it does not take
        // the place of a server that needs them.
        if (cameFrom == null || server.node() != null) {
          counted++;
        }
      }
    }
    return reached;
  }

  private boolean sendTo(Peer server, List<? extends PeerFrame> frames) {
    InetSocketAddress address = new InetSocketAddress(server.address(), server.port());
    try (MessengerConnection connection = sockets.getConnection()) {
      for (PeerFrame frame : frames) {
        connection.sendToPeer(address, frame);
      }
      return true;
    } catch (IOException | ResourceException e) {
      LOG.warning(() -> "server " + address + " unreachable: " + e.getMessage());
      try {
        directory.unreachable(server.address(), server.port());
      } catch (EJBException busy) {
        LOG.fine(() -> "server " + address + " not marked inactive now: " + busy.getMessage());
      }
      return false;
    }
  }
}
