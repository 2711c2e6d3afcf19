package org.kabar.server.cluster.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.kabar.adapter.api.MessengerConnection;
import org.kabar.adapter.api.MessengerConnectionFactory;
import org.kabar.adapter.api.PeerLiveness;
import org.kabar.protocol.peer.Announce;
import org.kabar.protocol.peer.Ping;
import org.kabar.server.cluster.control.Membership;
import org.kabar.server.cluster.control.Membership.Change;
import org.kabar.server.cluster.control.Membership.State;
import org.kabar.server.cluster.entity.ServerEntry;
import org.kabar.server.node.IdClock;
import org.kabar.server.node.NodeResources;
import org.kabar.server.node.NodeSettings;

/**
 * Watches the other servers once a second (seed S3.1). The adapter beats to every listed server and
 * records the beats that arrive ({@code BEAT}, docs/PROTOCOL.md); this check reads what they say
 * and acts on what changed ({@link Membership}): a server that comes up is told where this one
 * listens (ANNOUNCE) and pinged, which marks it active and starts the catch-up it is owed; a server
 * that dies (no beat for KABAR_PEER_DEAD_SECONDS, 5 by default, or its port refuses) gets Active =
 * 0 and its users are taken over ({@link Failover}). The server list is written on transitions
 * only. Every KABAR_PEER_CHECK_SECONDS (300 by default, the seed's five minutes) every listed
 * server is also announced to and pinged, which measures the round trips that order the nearest
 * links.
 */
@Singleton
@Startup
@DependsOn("InitialPeers")
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class PeerChecks {

  private static final Logger LOG = Logger.getLogger(PeerChecks.class.getName());

  /** Between two looks at the beats. */
  static final long TICK_MILLIS = 1_000;

  @Resource TimerService timers;

  @Resource(lookup = NodeResources.SOCKETS)
  MessengerConnectionFactory sockets;

  @EJB ServerDirectory directory;

  @Inject NodeSettings settings;

  @Inject IdClock clock;

  @Inject Membership membership;

  @EJB Failover failover;

  @EJB NameClaims claims;

  /** Ticks between two looks at the names granted for claims. */
  private static final int SWEEP_TICKS = 5;

  private int ticks;

  private final Instant started = Instant.now();

  private long nextRound;

  @PostConstruct
  void schedule() {
    nextRound = System.nanoTime() + settings.peerCheckSeconds() * 1_000_000_000L;
    timers.createIntervalTimer(TICK_MILLIS, TICK_MILLIS, new TimerConfig("peer-checks", false));
  }

  @Timeout
  void check() {
    try {
      look();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "the check of the other servers failed: again in a second", e);
    }
    if (++ticks % SWEEP_TICKS == 0) {
      try {
        claims.sweep();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "the look at granted names failed: again in a few seconds", e);
      }
    }
  }

  private void look() {
    List<ServerEntry> servers = new ArrayList<>();
    for (ServerEntry server : directory.all()) {
      if (!settings.isSelf(server.address(), server.port())) {
        servers.add(server);
      }
    }
    Map<InetSocketAddress, ServerEntry> byAddress = new HashMap<>();
    for (ServerEntry server : servers) {
      byAddress.put(new InetSocketAddress(server.address(), server.port()), server);
    }
    List<PeerLiveness> view;
    try (MessengerConnection connection = sockets.getConnection()) {
      connection.watchPeers(byAddress.keySet());
      view = connection.peerLiveness();
    } catch (ResourceException e) {
      LOG.log(Level.FINE, "no handle on the sockets to check the other servers", e);
      return;
    }
    Map<InetSocketAddress, PeerLiveness> liveness = new HashMap<>();
    for (PeerLiveness live : view) {
      if (live.address() != null) {
        liveness.put(live.address(), live);
      }
    }
    long deadAfter = settings.peerDeadSeconds() * 1000L;
    List<ServerEntry> cameUp = new ArrayList<>();
    Set<String> dead = new HashSet<>();
    for (Map.Entry<InetSocketAddress, ServerEntry> e : byAddress.entrySet()) {
      ServerEntry server = e.getValue();
      String key = Membership.key(server.address(), server.port());
      Change change = membership.update(key, liveness.get(e.getKey()), deadAfter);
      if (change == null) {
        if (membership.state(key) == State.UNKNOWN && server.active() && startedLongAgo()) {
          directory.unreachable(server.address(), server.port()); // listed active, never heard
        }
        PeerLiveness live = liveness.get(e.getKey());
        if (membership.state(key) == State.UNKNOWN
            && live != null
            && live.linkUp()
            && !live.everHeard()
            && nudgeDue(key)) {
          // it listens and takes this server's beats but sends none: it does not list this
          // server yet (this one was started naming it, not the other way round)
          cameUp.add(server);
        }
        continue;
      }
      if (change.cameUp()) {
        LOG.info(
            () ->
                "server "
                    + change.node()
                    + " at "
                    + key
                    + (change.restarted() ? " started again" : " is up"));
        cameUp.add(server);
      } else if (change.wentDown()) {
        LOG.warning(
            () -> "server " + change.node() + " at " + key + " is down (" + change.to() + ")");
        directory.unreachable(server.address(), server.port());
      } else if (change.to() == State.SUSPECT) {
        LOG.info(() -> "server " + change.node() + " at " + key + " missed its beats: suspected");
      }
    }
    for (ServerEntry server : servers) {
      if (membership.state(Membership.key(server.address(), server.port())) == State.DEAD
          && server.node() != null) {
        dead.add(server.node());
      }
    }
    boolean round = System.nanoTime() - nextRound >= 0;
    if (round) {
      nextRound = System.nanoTime() + settings.peerCheckSeconds() * 1_000_000_000L;
    }
    for (ServerEntry server : round ? servers : cameUp) {
      if (round
          && membership.state(Membership.key(server.address(), server.port())) == State.DEAD) {
        continue; // its port refuses or it is silent: nothing to announce to
      }
      announceTo(server);
    }
    if (!dead.isEmpty()) {
      failover.takeOverDeadServers(started, dead::contains);
    }
  }

  /** Between two announcements to a listening server that does not beat to this one. */
  private static final long NUDGE_NANOS = 3_000_000_000L;

  private final Map<String, Long> nudged = new HashMap<>();

  private boolean nudgeDue(String key) {
    long now = System.nanoTime();
    Long last = nudged.get(key);
    if (last != null && now - last < NUDGE_NANOS) {
      return false;
    }
    nudged.put(key, now);
    return true;
  }

  /** Whether this server has run long enough to take a silent listed server for absent. */
  private boolean startedLongAgo() {
    return Instant.now().isAfter(started.plusSeconds(2L * settings.peerDeadSeconds()));
  }

  /** Tells a server where this one listens, and pings it: its answer marks it active. */
  private void announceTo(ServerEntry server) {
    InetSocketAddress address = new InetSocketAddress(server.address(), server.port());
    Announce self =
        new Announce(
            settings.nodeName(),
            settings.advertisedHost(),
            settings.tcpPort(),
            settings.udpPort(),
            clock.node());
    try (MessengerConnection connection = sockets.getConnection()) {
      connection.sendToPeer(address, self);
      connection.sendToPeer(address, new Ping(System.nanoTime()));
    } catch (IOException | ResourceException e) {
      LOG.info(() -> "server " + address + " not announced to: " + e.getMessage());
    }
  }
}
