package org.kabar.server.cluster.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.kabar.server.cluster.control.CatchUps;
import org.kabar.server.cluster.control.PeerAddresses;
import org.kabar.server.cluster.control.PeerAddresses.Peer;
import org.kabar.server.node.NodeSettings;

/**
 * Enters the servers the operator named at start ({@code --peers}, KABAR_PEERS) into the server
 * list, as the seed has an administrator give a new server the existing list (S3.1). Servers listed
 * before a restart count as inactive until they answer, and their first answer starts a catch-up.
 */
@Singleton
@Startup
@DependsOn("EmbeddedDatabase")
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class InitialPeers {

  private static final Logger LOG = Logger.getLogger(InitialPeers.class.getName());

  @Inject
  @ConfigProperty(name = "kabar.peers")
  Optional<String> configuredPeers;

  @EJB ServerDirectory directory;

  @Inject NodeSettings settings;

  @Inject CatchUps catchUps;

  @PostConstruct
  void enterConfiguredPeers() {
    if (settings.embeddedDatabase()) {
      directory.unverifiedAtStart(); // a shared database has nothing to catch up on
    }
    List<Peer> peers;
    try {
      peers = PeerAddresses.parse(configuredPeers.orElse(""));
    } catch (IllegalArgumentException e) {
      LOG.severe("KABAR_PEERS ignored: " + e.getMessage());
      return;
    }
    for (Peer peer : peers) {
      // under the lock an incoming ANNOUNCE of the same server records it with, each in a
      // transaction of its own: its frames arrive while this application still deploys, and two
      // inserts of one address at once made the start fail (a duplicate key)
      catchUps.heardFrom(peer.host(), peer.port(), () -> directory.add(peer.host(), peer.port()));
    }
    if (!peers.isEmpty()) {
      LOG.info(() -> "server list holds the " + peers.size() + " configured peers");
    }
  }
}
