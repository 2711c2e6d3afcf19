package org.kabar.server.cluster.boundary;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.resource.ResourceException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.kabar.adapter.api.MessengerConnection;
import org.kabar.adapter.api.MessengerConnectionFactory;
import org.kabar.protocol.peer.PeerFrame;
import org.kabar.server.cluster.entity.ServerEntry;
import org.kabar.server.node.NodeResources;
import org.kabar.server.node.NodeSettings;

/**
 * Sends a frame to every active server of the list (seed S3.2–S3.4 send updates to the active
 * servers); an unreachable server becomes inactive and is skipped.
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
   * Sends the frames, in order, to each active server but this one.
   *
   * @return the servers it reached
   */
  public List<InetSocketAddress> toActivePeers(List<? extends PeerFrame> frames) {
    List<InetSocketAddress> reached = new ArrayList<>();
    if (frames.isEmpty()) {
      return reached;
    }
    for (ServerEntry server : directory.activeNearestFirst()) {
      if (settings.isSelf(server.address(), server.port())) {
        continue;
      }
      InetSocketAddress address = new InetSocketAddress(server.address(), server.port());
      try (MessengerConnection connection = sockets.getConnection()) {
        for (PeerFrame frame : frames) {
          connection.sendToPeer(address, frame);
        }
        reached.add(address);
      } catch (IOException | ResourceException e) {
        LOG.warning(() -> "server " + address + " unreachable: " + e.getMessage());
        directory.unreachable(server.address(), server.port());
      }
    }
    return reached;
  }
}
