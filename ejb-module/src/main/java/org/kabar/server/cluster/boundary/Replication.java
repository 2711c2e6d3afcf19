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
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.kabar.adapter.api.MessengerConnection;
import org.kabar.adapter.api.MessengerConnectionFactory;
import org.kabar.adapter.api.PeerLinkId;
import org.kabar.adapter.api.PeerMessage;
import org.kabar.protocol.peer.ChannelRecord;
import org.kabar.protocol.peer.MemberRecord;
import org.kabar.protocol.peer.MessageRecord;
import org.kabar.protocol.peer.PeerFrame;
import org.kabar.protocol.peer.SessionRecord;
import org.kabar.protocol.peer.SyncRequest;
import org.kabar.server.accounts.boundary.Accounts;
import org.kabar.server.accounts.entity.UserAccount;
import org.kabar.server.channels.boundary.Channels;
import org.kabar.server.cluster.control.CopyLocks;
import org.kabar.server.messaging.boundary.Courier;
import org.kabar.server.messaging.boundary.Mailbox;
import org.kabar.server.node.NodeResources;
import org.kabar.server.node.NodeSettings;
import org.kabar.server.presence.boundary.PresenceChanges;
import org.kabar.server.presence.boundary.Sessions;

/**
 * Keeps the Connected, Messages and channel tables of all servers in step (seed S3.3, S3.4). A
 * message goes out as soon as it is stored, before its sender hears OK: along the nearest links
 * (seed S3.8) and straight to the server its recipient is connected to, which pushes it at once
 * (cross-server routing); a survivor has it if this server dies. Every change of state (delivered,
 * read, deleted; login, logout, takeover; channel membership) goes out the same way, and each
 * server passes on what was news to it. The periodic copy goes to every active server. Copies merge
 * in any order: message flags only gain, the newest Connected row wins; a server that holds a newer
 * state answers with it, and a server that was away asks for everything that changed meanwhile
 * ({@code SYNC}).
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Replication {

  private static final Logger LOG = Logger.getLogger(Replication.class.getName());

  /** Messages read per page when a peer catches up or the periodic copy runs. */
  static final int PAGE = 500;

  /** A Connected row changed this recently is news for the users here, even if already held. */
  private static final long FRESH_MILLIS = 10_000;

  @Resource(lookup = NodeResources.SOCKETS)
  MessengerConnectionFactory sockets;

  @EJB Mailbox mailbox;

  @EJB Sessions sessions;

  @EJB Accounts accounts;

  @EJB PeerBroadcast peers;

  @Inject Courier courier;

  @EJB Channels channels;

  @EJB PresenceChanges presence;

  @Inject NodeSettings settings;

  @Inject CopyLocks locks;

  /**
   * Sends new or changed messages along the nearest links, and each straight to the server its
   * recipient is connected to, so it is pushed at once (cross-server routing).
   */
  public void messagesChanged(List<Long> ids) {
    if (ids.isEmpty() || !peers.anyActive()) {
      return; // no other server to tell: one that comes back catches up (SYNC)
    }
    Map<String, List<MessageRecord>> byRecipientServer = new LinkedHashMap<>();
    for (MessageRecord copy : mailbox.copies(ids)) {
      String server =
          sessions.serverOf(copy.to()).filter(node -> !node.equals(settings.nodeName())).orElse("");
      byRecipientServer.computeIfAbsent(server, s -> new ArrayList<>()).add(copy);
    }
    byRecipientServer.forEach(
        (server, copies) -> peers.toNearestAnd(copies, server.isEmpty() ? null : server));
  }

  /** Sends new or changed Connected rows along the nearest links. */
  public void sessionsChanged(List<Long> ids) {
    if (!ids.isEmpty()) {
      peers.toNearest(sessions.copies(ids));
    }
  }

  /** Sends a channel and one user's place in it along the nearest links. */
  public void channelChanged(String channel, String user) {
    channelChanged(channel, List.of(user));
  }

  /** Sends a channel and some users' places in it along the nearest links. */
  public void channelChanged(String channel, List<String> users) {
    peers.toNearest(channels.copies(channel, users));
  }

  /** A channel from another server; passed on if it was news here. */
  public void onChannel(ChannelRecord copy, PeerMessage from, List<String> reached) {
    if (retried(() -> channels.mergeCopy(copy))) {
      passOn(copy, from, reached);
    }
  }

  /** A user's place in a channel from another server. */
  public void onMember(MemberRecord copy, PeerMessage from, List<String> reached) {
    switch (onceKnown(() -> channels.mergeCopy(copy), Channels.Merge.UNKNOWN_USER)) {
      case CHANGED -> passOn(copy, from, reached);
      case OURS_NEWER -> reply(from.link(), channels.copies(copy.channel(), List.of(copy.user())));
      default -> {
        // nothing new
      }
    }
  }

  /**
   * Passes a copy that changed this server's tables on along its own nearest links (seed S3.8); a
   * copy that changed nothing stops here, so updates reach every server and never loop.
   */
  private void passOn(PeerFrame copy, PeerMessage from, List<String> reached) {
    // a copy that came without VIA (a catch-up's answer): its sender and this server had it
    peers.passOn(
        List.of(copy), reached != null ? reached : List.of(from.peerNode(), settings.nodeName()));
  }

  /** The periodic copy: this server's sessions and every undelivered message it holds. */
  public void periodicCopy() {
    peers.toActivePeers(sessions.connectedHereCopies());
    String afterRecipient = "";
    long afterId = 0;
    while (true) {
      List<MessageRecord> page = mailbox.undeliveredCopies(afterRecipient, afterId, PAGE);
      peers.toActivePeers(page);
      if (page.size() < PAGE) {
        return;
      }
      afterRecipient = page.get(page.size() - 1).to();
      afterId = page.get(page.size() - 1).id();
    }
  }

  /**
   * A copy of a message from another server. A new undelivered message is pushed if its recipient
   * is connected here; so is one already held (a database shared with the sender, or the periodic
   * copy of a push that was given up on).
   */
  public void onMessage(MessageRecord copy, PeerMessage from, List<String> reached) {
    Mailbox.Merge merge =
        onceKnown(
            () -> locks.merging(copy.id(), () -> mailbox.mergeCopy(copy)),
            Mailbox.Merge.UNKNOWN_USER);
    if (merge == Mailbox.Merge.NEW_UNDELIVERED || merge == Mailbox.Merge.CHANGED) {
      passOn(copy, from, reached);
    }
    switch (merge) {
      case NEW_UNDELIVERED -> courier.deliver(copy.to(), List.of(copy.id()));
      case SAME -> {
        boolean pending = !copy.has(MessageRecord.DELIVERED) && !copy.has(MessageRecord.DELETED);
        if (!pending) {
          courier.acknowledged(copy.to(), copy.id()); // a shared database already had the change
        } else if (sessions.sessionHere(copy.to()).isPresent()) {
          courier.deliver(copy.to(), List.of(copy.id()));
        }
      }
      case OURS_AHEAD -> reply(from.link(), mailbox.copies(List.of(copy.id())));
      case CHANGED -> {
        if (copy.has(MessageRecord.DELIVERED) || copy.has(MessageRecord.DELETED)) {
          courier.acknowledged(copy.to(), copy.id()); // taken elsewhere: stop pushing it here
        }
      }
      default -> {
        // a user not known here yet: the periodic copy brings it again
      }
    }
  }

  /** A copy of a Connected row from another server. */
  public void onSession(SessionRecord copy, PeerMessage from, List<String> reached) {
    Sessions.Merge merge =
        onceKnown(
            () -> locks.merging(copy.id(), () -> sessions.mergeCopy(copy)),
            Sessions.Merge.UNKNOWN_USER);
    switch (merge) {
      case TAKEN_AWAY -> {
        passOn(copy, from, reached);
        courier.forget(copy.user());
        presence.changedSoon();
      }
      case CHANGED -> {
        passOn(copy, from, reached);
        presence.changedSoon();
      }
      case SAME -> {
        if (copy.revision() > System.currentTimeMillis() - FRESH_MILLIS) {
          presence.changedSoon(); // a database shared with the sender already holds the change
        }
      }
      case OURS_NEWER -> reply(from.link(), sessions.copies(List.of(copy.id())));
      default -> {
        // nothing to do
      }
    }
  }

  /** A peer asks for everything that changed since a time: accounts, sessions, messages. */
  public void onSync(SyncRequest request, PeerLinkId from) {
    changesSince(request.sinceMillis(), frames -> reply(from, frames));
  }

  /**
   * Sends a server that is back everything that changed here since a time, without waiting to be
   * asked: what it missed while it was away, or while this server took it for dead. False if they
   * could not all be sent.
   */
  public boolean pushChangesTo(InetSocketAddress peer, long sinceMillis) {
    try (MessengerConnection connection = sockets.getConnection()) {
      changesSince(
          sinceMillis,
          frames -> {
            for (PeerFrame frame : frames) {
              try {
                connection.sendToPeer(peer, frame);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }
          });
      return true;
    } catch (ResourceException | UncheckedIOException e) {
      LOG.warning(() -> "changes for " + peer + " not sent: " + e.getMessage());
      return false;
    }
  }

  /** Accounts, sessions, channels and messages changed since a time, a batch at a time. */
  private void changesSince(long since, Consumer<List<? extends PeerFrame>> sink) {
    List<UserAccount> users = accounts.changedSince(Instant.ofEpochMilli(since));
    sink.accept(users.stream().map(UserReplication::copyOf).toList());
    sink.accept(sessions.changedSince(since));
    sink.accept(channels.changedSince(since));
    long after = 0;
    int sent = 0;
    while (true) {
      List<MessageRecord> page = mailbox.changedSince(since, after, PAGE);
      // a server starting from nothing needs what is still to be delivered, not the history
      sink.accept(
          since > 0
              ? page
              : page.stream()
                  .filter(m -> !m.has(MessageRecord.DELIVERED) && !m.has(MessageRecord.DELETED))
                  .toList());
      sent += page.size();
      if (page.size() < PAGE) {
        break;
      }
      after = page.get(page.size() - 1).id();
    }
    int messages = sent;
    LOG.fine(
        () ->
            "changes since "
                + Instant.ofEpochMilli(since)
                + ": "
                + users.size()
                + " accounts, "
                + messages
                + " messages");
  }

  /** Asks a peer for what changed since a time; false if the request could not be sent. */
  public boolean requestSync(InetSocketAddress peer, long sinceMillis) {
    try (MessengerConnection connection = sockets.getConnection()) {
      connection.sendToPeer(peer, new SyncRequest(Math.max(0, sinceMillis)));
      return true;
    } catch (IOException | ResourceException e) {
      LOG.warning(() -> "catch-up from " + peer + " not asked: " + e.getMessage());
      return false;
    }
  }

  private void reply(PeerLinkId link, List<? extends PeerFrame> frames) {
    if (frames.isEmpty()) {
      return;
    }
    try (MessengerConnection connection = sockets.getConnection()) {
      for (PeerFrame frame : frames) {
        connection.reply(link, frame);
      }
    } catch (ResourceException | IOException e) {
      LOG.warning(() -> "copies to a peer not sent: " + e.getMessage());
    }
  }

  /** Tries for this long for the account of a copy to arrive before dropping the copy. */
  private static final long ACCOUNT_PATIENCE_MILLIS = 2_000;

  /**
   * Merges a copy, waiting a little if its user's account has not arrived yet: the account and the
   * copy may come over different links, and the periodic copy may be far away.
   */
  private static <T> T onceKnown(Supplier<T> merge, T unknownUser) {
    long deadline = System.currentTimeMillis() + ACCOUNT_PATIENCE_MILLIS;
    T result = retried(merge);
    while (result == unknownUser && System.currentTimeMillis() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return result;
      }
      result = retried(merge);
    }
    if (result == unknownUser) {
      LOG.info("a copy for an account not known here was set aside; the periodic copy repeats it");
    }
    return result;
  }

  /** Two copies of one new row arriving at once: the second insert fails, the retry merges. */
  private static <T> T retried(Supplier<T> merge) {
    try {
      return merge.get();
    } catch (EJBException conflict) {
      return merge.get();
    }
  }
}
