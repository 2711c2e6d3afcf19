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
import org.kabar.adapter.api.PeerLane;
import org.kabar.adapter.api.PeerLinkBusy;
import org.kabar.protocol.peer.PeerFrame;
import org.kabar.protocol.peer.Ping;
import org.kabar.protocol.peer.Via;
import org.kabar.server.cluster.control.ActivePeers.Peer;
import org.kabar.server.cluster.control.CopiesSent;
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

  @Inject CopiesSent counted;

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
    return toActivePeers(frames, PeerLane.LIVE);
  }

  /**
   * As {@link #toActivePeers(List)}, on the links' catch-up lane: the periodic copy, which waits
   * for room behind live traffic instead of crowding it out.
   */
  public List<InetSocketAddress> toActivePeersCatchingUp(List<? extends PeerFrame> frames) {
    return toActivePeers(frames, PeerLane.CATCH_UP);
  }

  private List<InetSocketAddress> toActivePeers(List<? extends PeerFrame> frames, PeerLane lane) {
    List<Peer> targets = others();
    List<String> names = new ArrayList<>();
    names.add(settings.nodeName());
    for (Peer server : targets) {
      if (server.node() != null) {
        names.add(server.node());
      }
    }
    // copies inside VIA name every server they reach: none of them passes them on
    return sendCopies(frames, targets, names, lane);
  }

  /**
   * Sends this server's own updates along its nearest links (seed S3.8): to the {@code
   * KABAR_PEER_FANOUT} nearest active servers, each copy inside a {@code VIA} naming this server
   * first and then the servers it reached; a server that cannot be reached is marked inactive and
   * the next nearest takes its place, so one dead link loses nothing. A server listed by address
   * that has not announced its name yet gets them too, without counting towards the fanout.
   *
   * @return the servers it reached
   */
  public List<InetSocketAddress> toNearest(List<? extends PeerFrame> frames) {
    return toNearestAnd(frames, null);
  }

  /**
   * As {@link #toNearest(List)}, and also to the server with the node name {@code alsoNode} (where
   * a message's recipient is connected), if it is active and not among the nearest.
   */
  public List<InetSocketAddress> toNearestAnd(List<? extends PeerFrame> frames, String alsoNode) {
    List<InetSocketAddress> reached = new ArrayList<>();
    if (frames.isEmpty()) {
      return reached;
    }
    List<Peer> targets = new ArrayList<>();
    List<String> names = new ArrayList<>();
    names.add(settings.nodeName());
    int counted = 0;
    for (Peer server : others()) {
      boolean also = alsoNode != null && alsoNode.equals(server.node());
      if (counted < settings.peerFanout() || also || server.node() == null) {
        targets.add(server);
        if (server.node() != null) {
          names.add(server.node());
          counted += also ? 0 : 1;
        }
      }
    }
    return sendCopies(frames, targets, names, PeerLane.LIVE);
  }

  /**
   * Passes on copies that changed this server's tables (seed S3.8), which arrived inside a {@code
   * VIA} naming {@code reached}: each active server not named there goes to exactly one of the
   * servers named after the origin (chosen by its name, the same choice on each of them), and this
   * server sends to those that fall to it, naming every server it knows of, so nobody passes them
   * on again. Each update reaches each server once: N-1 frames.
   *
   * @return the servers it reached
   */
  public List<InetSocketAddress> passOn(List<? extends PeerFrame> frames, List<String> reached) {
    List<String> sharers = reached.subList(1, reached.size());
    List<Peer> targets = new ArrayList<>();
    List<String> names = new ArrayList<>(reached);
    for (Peer server : others()) {
      if (server.node() == null || reached.contains(server.node())) {
        continue;
      }
      names.add(server.node());
      String sharer =
          sharers.isEmpty()
              ? settings.nodeName()
              : sharers.get(Math.floorMod(server.node().hashCode(), sharers.size()));
      if (sharer.equals(settings.nodeName())) {
        targets.add(server);
      }
    }
    return sendCopies(frames, targets, names, PeerLane.LIVE);
  }

  private List<Peer> others() {
    List<Peer> others = new ArrayList<>();
    for (Peer server : directory.activePeers()) {
      if (!settings.isSelf(server.address(), server.port())) {
        others.add(server);
      }
    }
    return others;
  }

  private List<InetSocketAddress> sendCopies(
      List<? extends PeerFrame> frames, List<Peer> targets, List<String> names, PeerLane lane) {
    List<InetSocketAddress> reached = new ArrayList<>();
    if (targets.isEmpty()) {
      return reached;
    }
    List<PeerFrame> wrapped = new ArrayList<>(frames.size());
    for (PeerFrame frame : frames) {
      wrapped.add(Via.carries(frame) ? new Via(names, frame) : frame);
    }
    for (Peer server : targets) {
      if (sendTo(server, wrapped, lane)) {
        reached.add(new InetSocketAddress(server.address(), server.port()));
      }
    }
    return reached;
  }

  /**
   * Sends frames to the server with this node name, if it is listed and active and not among the
   * servers they already reached. Copies go inside a {@code VIA} naming every server this one
   * knows: meant for that server alone, never passed on.
   */
  public boolean toNode(
      String node, List<? extends PeerFrame> frames, Collection<InetSocketAddress> reached) {
    List<Peer> active = directory.activePeers();
    for (Peer server : active) {
      if (node.equals(server.node()) && !settings.isSelf(server.address(), server.port())) {
        if (reached.contains(new InetSocketAddress(server.address(), server.port()))) {
          return true;
        }
        List<String> names = new ArrayList<>();
        names.add(settings.nodeName());
        for (Peer other : active) {
          if (other.node() != null && !other.node().equals(settings.nodeName())) {
            names.add(other.node());
          }
        }
        List<PeerFrame> wrapped = new ArrayList<>(frames.size());
        for (PeerFrame frame : frames) {
          wrapped.add(Via.carries(frame) ? new Via(names, frame) : frame);
        }
        return sendTo(server, wrapped, PeerLane.LIVE);
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
        List.of(new Ping(System.nanoTime())),
        PeerLane.LIVE);
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
      } else if (sendTo(server, List.of(frame), PeerLane.LIVE)) {
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

  /**
   * Queues frames in the link to a server, all at once; the link's writer sends them. A link whose
   * live lane is full belongs to a slow server, not a dead one: nothing is marked, the frames are
   * not sent (the caller's sender is asked to retry, or the next catch-up carries them).
   */
  private boolean sendTo(Peer server, List<? extends PeerFrame> frames, PeerLane lane) {
    InetSocketAddress address = new InetSocketAddress(server.address(), server.port());
    try (MessengerConnection connection = sockets.getConnection()) {
      connection.sendToPeer(address, frames, lane);
      for (PeerFrame frame : frames) {
        counted.sent(frame);
      }
      return true;
    } catch (PeerLinkBusy slow) {
      counted.refused(frames.size());
      LOG.fine(() -> "server " + address + " is slow: " + slow.getMessage());
      return false;
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
