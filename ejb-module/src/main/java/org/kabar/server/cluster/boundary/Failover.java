package org.kabar.server.cluster.boundary;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.kabar.protocol.client.ClientReply.Moved;
import org.kabar.protocol.client.SessionProofs;
import org.kabar.server.cluster.entity.ServerEntry;
import org.kabar.server.gateway.control.ClientReplies;
import org.kabar.server.messaging.boundary.Courier;
import org.kabar.server.messaging.boundary.Mailbox;
import org.kabar.server.node.NodeSettings;
import org.kabar.server.presence.boundary.PresenceChanges;
import org.kabar.server.presence.boundary.Sessions;
import org.kabar.server.presence.boundary.Sessions.Adopted;

/**
 * Server-side failover (seed S3.6). When a server is inactive, refuses connections, and the
 * Connected table still has users on it, exactly one survivor takes them over: the active server
 * with the smallest node name, a choice every survivor makes alike. It moves each session to itself
 * at a new revision (so the newest update wins everywhere), tells every other server, tells each
 * client to send to it from now on ({@code MOVED}, with a proof only the session's holder can
 * check) and pushes what is waiting for them. The client keeps its token: no new login.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Failover {

  private static final Logger LOG = Logger.getLogger(Failover.class.getName());

  @EJB ServerDirectory directory;

  @EJB Sessions sessions;

  @EJB Replication replication;

  @EJB PeerBroadcast peers;

  @Inject Courier courier;

  @EJB Mailbox mailbox;

  @EJB PresenceChanges presence;

  @Inject ClientReplies replies;

  @Inject NodeSettings settings;

  /**
   * Takes over the users of every inactive server, if this server is the one to do it. Only a
   * server this one heard from since it started, and that then went silent, counts as dead: one not
   * heard from since the start may merely not have answered yet (this server is the one that was
   * away). The users of a server that died while no survivor watched resume on their own, with
   * their tokens, at the next server of their list.
   */
  public void takeOverDeadServers(Instant started) {
    List<ServerEntry> servers = directory.all();
    String self = settings.nodeName();
    Optional<String> heir =
        Stream.concat(
                Stream.of(self),
                servers.stream()
                    .filter(ServerEntry::active)
                    .map(ServerEntry::node)
                    .filter(node -> node != null))
            .min(String::compareTo);
    if (heir.isEmpty() || !heir.get().equals(self)) {
      return;
    }
    for (ServerEntry dead : servers) {
      boolean diedWhileWeWatched = dead.lastSeenAt() != null && dead.lastSeenAt().isAfter(started);
      if (!dead.active()
          && dead.node() != null
          && !dead.node().equals(self)
          && diedWhileWeWatched) {
        takeOver(dead);
      }
    }
  }

  private void takeOver(ServerEntry dead) {
    if (!sessions.anyConnectedOn(dead.node()) || peers.reachable(dead)) {
      return; // nobody to take over, or only slow to answer: its port still takes connections
    }
    List<Adopted> adopted = sessions.adoptAllOf(dead.node());
    if (adopted.isEmpty()) {
      return;
    }
    LOG.warning(
        () ->
            "server "
                + dead.node()
                + " at "
                + dead.address()
                + " is down: took over its "
                + adopted.size()
                + " sessions");
    replication.sessionsChanged(adopted.stream().map(a -> a.caller().sessionId()).toList());
    String here = settings.advertisedHost() + ":" + settings.udpPort();
    for (Adopted session : adopted) {
      if (session.tokenHash() != null) {
        replies.push(
            session.caller().address(),
            new Moved(here, SessionProofs.moveProof(session.tokenHash(), here)));
      }
      String user = session.caller().username();
      courier.deliver(user, mailbox.offlineFor(user));
    }
    presence.changedSoon();
  }
}
