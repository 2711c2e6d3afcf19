package org.kabar.server.cluster.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.resource.ResourceException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.logging.Logger;
import org.kabar.adapter.api.MessengerConnection;
import org.kabar.adapter.api.MessengerConnectionFactory;
import org.kabar.protocol.peer.Announce;
import org.kabar.protocol.peer.Ping;
import org.kabar.server.cluster.entity.ServerEntry;
import org.kabar.server.node.IdClock;
import org.kabar.server.node.NodeResources;
import org.kabar.server.node.NodeSettings;

/**
 * Checks the other servers at a fixed interval (seed S3.1; KABAR_PEER_CHECK_SECONDS, 300 by
 * default): each listed server is told where this one listens (ANNOUNCE, so lists converge even
 * after restarts) and pinged; a server not heard from for three intervals, or that cannot be
 * reached, gets Active = 0 until it answers again, and its users are taken over ({@link Failover}).
 */
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class PeerChecks {

  private static final Logger LOG = Logger.getLogger(PeerChecks.class.getName());

  @Resource TimerService timers;

  @Resource(lookup = NodeResources.SOCKETS)
  MessengerConnectionFactory sockets;

  @EJB ServerDirectory directory;

  @Inject NodeSettings settings;

  @Inject IdClock clock;

  @EJB Failover failover;

  private final Instant started = Instant.now();

  @PostConstruct
  void schedule() {
    long interval = settings.peerCheckSeconds() * 1000L;
    timers.createIntervalTimer(
        Math.min(interval, 2_000), interval, new TimerConfig("peer-checks", false));
  }

  @Timeout
  void check() {
    Instant stale = Instant.now().minusSeconds(3L * settings.peerCheckSeconds());
    for (ServerEntry silent : directory.markSilentInactive(stale)) {
      LOG.warning(() -> "server " + silent.address() + ":" + silent.port() + " is inactive");
    }
    List<ServerEntry> servers = directory.all();
    Announce self =
        new Announce(
            settings.nodeName(),
            settings.advertisedHost(),
            settings.tcpPort(),
            settings.udpPort(),
            clock.node());
    for (ServerEntry server : servers) {
      if (settings.isSelf(server.address(), server.port())) {
        continue;
      }
      InetSocketAddress address = new InetSocketAddress(server.address(), server.port());
      try (MessengerConnection connection = sockets.getConnection()) {
        connection.sendToPeer(address, self);
        connection.sendToPeer(address, new Ping(System.nanoTime()));
      } catch (IOException | ResourceException e) {
        LOG.warning(() -> "server " + address + " unreachable: " + e.getMessage());
        directory.unreachable(server.address(), server.port());
      }
    }
    failover.takeOverDeadServers(started);
  }
}
