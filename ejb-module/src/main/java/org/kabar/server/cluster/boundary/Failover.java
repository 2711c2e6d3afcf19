package org.kabar.server.cluster.boundary;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
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
 * Server-side failover (seed S3.6). When the heartbeats say a server is dead (none for
 * KABAR_PEER_DEAD_SECONDS, or its port refuses: {@link PeerChecks}) and the Connected table still
 * has users on it, exactly one survivor takes them over: the active server with the smallest node
 * name, a choice every survivor makes alike. It moves each session to itself at a new revision (so
 * the newest update wins everywhere), tells every other server, tells each client to send to it
 * from now on ({@code MOVED}, with a proof only the session's holder can check) and pushes what is
 * waiting for them. The client keeps its token: no new login.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Failover {

  private static final Logger LOG = Logger.getLogger(Failover.class.getName());

  @EJB ServerDirectory directory;

  @EJB Sessions sessions;

  @EJB Replication replication;

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
  public void takeOverDeadServers(Instant started, Predicate<String> dead) {
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
    for (ServerEntry server : servers) {
      boolean diedWhileWeWatched =
          server.lastSeenAt() != null && server.lastSeenAt().isAfter(started);
      if (!server.active()
          && server.node() != null
          && !server.node().equals(self)
          && dead.test(server.node())
          && diedWhileWeWatched) {
        takeOver(server);
      }
    }
  }

  private void takeOver(ServerEntry dead) {
    if (!sessions.anyConnectedOn(dead.node())) {
      return; // nobody to take over
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
