package org.kabar.server.cluster.boundary;

import jakarta.annotation.Resource;
import jakarta.ejb.Asynchronous;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.resource.ResourceException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.kabar.adapter.api.MessengerConnection;
import org.kabar.adapter.api.MessengerConnectionFactory;
import org.kabar.adapter.api.PeerLane;
import org.kabar.adapter.api.PeerLinkId;
import org.kabar.adapter.api.PeerMessage;
import org.kabar.protocol.client.ClientReply.Delivery;
import org.kabar.protocol.client.Names;
import org.kabar.protocol.peer.ChannelRecord;
import org.kabar.protocol.peer.MemberRecord;
import org.kabar.protocol.peer.MessageRecord;
import org.kabar.protocol.peer.PeerFrame;
import org.kabar.protocol.peer.SessionRecord;
import org.kabar.protocol.peer.StoredCopies;
import org.kabar.protocol.peer.SyncRequest;
import org.kabar.server.accounts.boundary.Accounts;
import org.kabar.server.accounts.entity.UserAccount;
import org.kabar.server.channels.boundary.Channels;
import org.kabar.server.cluster.control.CopyLocks;
import org.kabar.server.cluster.control.StoredAcks;
import org.kabar.server.cluster.control.Whereabouts;
import org.kabar.server.messaging.boundary.Courier;
import org.kabar.server.messaging.boundary.Mailbox;
import org.kabar.server.messaging.control.FreshMessages;
import org.kabar.server.node.IdClock;
import org.kabar.server.node.NodeResources;
import org.kabar.server.node.NodeSettings;
import org.kabar.server.presence.boundary.PresenceChanges;
import org.kabar.server.presence.boundary.Sessions;
import org.kabar.server.presence.control.SessionCache;

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

  @Inject StoredAcks acks;

  @Inject Whereabouts whereabouts;

  @Inject FreshMessages freshMessages;

  @Inject SessionCache sessionCache;

  @Resource SessionContext context;

  /**
   * Sends new or changed messages along the nearest links, and each straight to the server its
   * recipient is connected to, so it is pushed at once (cross-server routing).
   */
  public void messagesChanged(List<Long> ids) {
    if (ids.isEmpty() || !peers.anyActive()) {
      return; // no other server to tell: one that comes back catches up (SYNC)
    }
    send(mailbox.copies(ids));
  }

  /** Sends copies along the nearest links and to their recipients' servers, a batch per server. */
  private void send(List<MessageRecord> copies) {
    byRecipientServer(copies)
        .forEach((server, some) -> peers.toNearestAnd(some, server.isEmpty() ? null : server));
  }

  /** Copies grouped by the server their recipient is connected to, "" for here or nowhere. */
  private Map<String, List<MessageRecord>> byRecipientServer(List<MessageRecord> copies) {
    Map<String, List<MessageRecord>> byServer = new LinkedHashMap<>();
    for (MessageRecord copy : copies) {
      String server = whereabouts.serverOf(copy.to(), sessions::serverOf);
      if (server.equals(settings.nodeName())) {
        server = "";
      }
      byServer.computeIfAbsent(server, s -> new ArrayList<>()).add(copy);
    }
    return byServer;
  }

  /**
   * How long the senders of new messages wait for a second server to confirm it stored them before
   * they are asked to send again ({@code ERR 507}). Long enough that a busy peer is waited for, not
   * flooded with the same copies again: meanwhile a sender's retransmissions are dropped as
   * requests still being served.
   */
  public static final long STORED_WAIT_MILLIS = 2_000;

  /** Whether any other server is active now (an update has somewhere to go). */
  public boolean anyPeerActive() {
    return peers.anyActive();
  }

  /**
   * Sends new messages to the other servers, as {@link #messagesChanged} does, and starts waiting
   * until a second server confirms each is on its disk ({@code STORED}): the origin answers their
   * senders then. The recipient's server (if elsewhere) and the nearest servers get them; the first
   * {@code STORED} for a message confirms it. With no other server active there is nothing to wait
   * for: a message is kept with its one copy here (a lone server must go on serving).
   *
   * @return the wait, to be given what follows with {@link StoredAcks.Awaited#then}; null if no
   *     other server is active
   */
  public StoredAcks.Awaited replicateNew(List<MessageRecord> copies) {
    if (copies.isEmpty() || !peers.anyActive()) {
      return null; // alone: one copy, said so in the protocol
    }
    Set<Long> ids = new HashSet<>();
    for (MessageRecord copy : copies) {
      ids.add(copy.id());
    }
    StoredAcks.Awaited wait = acks.expect(ids);
    send(copies);
    if (!peers.anyActive()) {
      wait.then(0, confirmed -> {}); // every other server turned out to be gone while sending
      return null;
    }
    return wait;
  }

  /** Sends new or changed Connected rows along the nearest links. */
  public void sessionsChanged(List<Long> ids) {
    if (!ids.isEmpty()) {
      List<SessionRecord> copies = sessions.copies(ids);
      for (SessionRecord copy : copies) {
        whereabouts.heard(copy.user(), copy.connected() ? copy.server() : null);
      }
      peers.toNearest(copies);
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

  /**
   * The periodic copy: this server's sessions, and the undelivered messages stored in the last two
   * intervals ({@code KABAR_REPLICATION_SECONDS}), on the links' catch-up lane. A message is thus
   * sent again once or twice after it was stored, in case a live copy was lost (a link that was
   * full, a server that died passing it on), and never again: the cost of a round follows the rate
   * of new messages, not the number held undelivered (a range of the primary key, since ids grow
   * with time). Older losses are made good when a server comes back (SYNC), and when a user moves
   * to another server (its undelivered messages follow it).
   */
  public void periodicCopy() {
    peers.toActivePeersCatchingUp(sessions.connectedHereCopies());
    long window = 2L * settings.replicationSeconds() * 1000L;
    long afterId = IdClock.firstIdAt(System.currentTimeMillis() - window);
    while (true) {
      List<MessageRecord> page = mailbox.undeliveredAfter(afterId, PAGE);
      peers.toActivePeersCatchingUp(page);
      if (page.size() < PAGE) {
        return;
      }
      afterId = page.get(page.size() - 1).id();
    }
  }

  /** A copy of a message as it arrived: from which link, and the servers its VIA named. */
  public record Incoming(MessageRecord copy, PeerMessage from, List<String> reached) {}

  /**
   * Copies of messages from other servers, as a link's reader queued them: merged in one
   * transaction (one commit), then confirmed to their origins ({@code STORED}, one frame per link),
   * passed on where they were news, and pushed where their recipients are connected here. A copy
   * for a user not known here yet is merged apart, a little later, without holding up the rest.
   */
  public void onMessages(List<Incoming> batch) {
    List<MessageRecord> copies = new ArrayList<>(batch.size());
    for (Incoming in : batch) {
      copies.add(in.copy());
    }
    List<Mailbox.Merge> merged;
    try {
      merged = mailbox.mergeCopies(copies);
    } catch (EJBException | PersistenceException raced) {
      // two copies of one new message merged at once on two lanes: each alone, the second merges
      merged = new ArrayList<>(batch.size());
      for (MessageRecord copy : copies) {
        merged.add(retried(() -> locks.merging(copy.id(), () -> mailbox.mergeCopy(copy))));
      }
    }
    Map<PeerLinkId, List<Long>> stored = new LinkedHashMap<>();
    Map<PeerLinkId, PeerMessage> storedFrom = new LinkedHashMap<>();
    Map<List<String>, List<MessageRecord>> news = new LinkedHashMap<>();
    Map<String, List<Long>> pushes = new LinkedHashMap<>();
    List<Delivery> fresh = new ArrayList<>();
    Map<PeerLinkId, List<Long>> ahead = new LinkedHashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      Incoming in = batch.get(i);
      MessageRecord copy = in.copy();
      Mailbox.Merge merge = merged.get(i);
      if (merge == Mailbox.Merge.UNKNOWN_USER) {
        self().onMessageLater(copy, in.from(), in.reached());
        continue;
      }
      boolean fromItsOrigin =
          in.reached() != null && in.reached().get(0).equals(in.from().peerNode());
      if (fromItsOrigin) {
        // straight from the server where it began, which waits to hear it is on a second disk
        stored.computeIfAbsent(in.from().link(), l -> new ArrayList<>()).add(copy.id());
        storedFrom.putIfAbsent(in.from().link(), in.from());
      }
      if (in.reached() != null
          && (merge == Mailbox.Merge.NEW_UNDELIVERED || merge == Mailbox.Merge.CHANGED)) {
        // a plain copy (a catch-up's answer, a newer state sent back, a hand-over) was meant for
        // this server alone: the others have theirs
        news.computeIfAbsent(in.reached(), r -> new ArrayList<>()).add(copy);
      }
      switch (merge) {
        case NEW_UNDELIVERED -> {
          pushes.computeIfAbsent(copy.to(), t -> new ArrayList<>()).add(copy.id());
          fresh.add(delivery(copy));
        }
        case SAME -> {
          if (!copy.has(MessageRecord.DELIVERED) && !copy.has(MessageRecord.DELETED)) {
            pushes.computeIfAbsent(copy.to(), t -> new ArrayList<>()).add(copy.id());
          } else {
            courier.acknowledged(copy.to(), copy.id()); // a shared database had the change
          }
        }
        case OURS_AHEAD -> {
          // the sender's copy is behind. The origin sending its own message again (its sender
          // asked again) hears of the delivery from the recipient's server anyway: only a copy
          // passed on or caught up is answered with the newer state, all in one read
          if (!fromItsOrigin) {
            ahead.computeIfAbsent(in.from().link(), l -> new ArrayList<>()).add(copy.id());
          }
        }
        case CHANGED -> {
          if (copy.has(MessageRecord.DELIVERED) || copy.has(MessageRecord.DELETED)) {
            courier.acknowledged(copy.to(), copy.id()); // taken elsewhere: stop pushing it here
          }
        }
        default -> {
          // set aside above
        }
      }
    }
    stored.forEach((link, ids) -> confirmStored(storedFrom.get(link), ids));
    freshMessages.committed(fresh); // pushed from memory, as the client path does
    ahead.forEach((link, ids) -> reply(link, mailbox.copies(ids)));
    pushes.forEach(
        (to, ids) -> {
          if (servedHere(to)) {
            courier.deliver(to, ids);
          }
        });
    news.forEach((reached, some) -> peers.passOn(some, reached));
  }

  /** A copy as its recipient is shown it. */
  private static Delivery delivery(MessageRecord copy) {
    String shownTo =
        copy.has(MessageRecord.BROADCAST)
            ? Names.EVERYONE
            : copy.channel() != null ? copy.channel() : copy.to();
    return new Delivery(
        copy.id(),
        copy.from(),
        shownTo,
        Instant.ofEpochMilli(copy.receivedAtMillis()),
        copy.text());
  }

  /**
   * Tells the server where messages began that they are on this server's disk now: over this
   * server's heartbeat link to it, whose reader never waits behind copies (or over the link they
   * came on if that one is not open).
   */
  private void confirmStored(PeerMessage from, List<Long> ids) {
    for (int first = 0; first < ids.size(); first += StoredCopies.MAX_IDS) {
      StoredCopies frame =
          new StoredCopies(ids.subList(first, Math.min(ids.size(), first + StoredCopies.MAX_IDS)));
      if (!peers.sendControl(from.peerNode(), frame)) {
        reply(from.link(), List.of(frame));
      }
    }
  }

  /**
   * Whether the user is connected to this server, so that pushes to it go from here: from memory
   * where it can, so a copy for a user of another server costs no query.
   */
  private boolean servedHere(String user) {
    if (sessionCache.byUsername(user).isPresent()) {
      return true;
    }
    String server = whereabouts.serverOf(user, sessions::serverOf);
    return (server.isEmpty() || server.equals(settings.nodeName()))
        && sessions.sessionHere(user).isPresent();
  }

  /** A copy for a user not known here when it came: merged alone, waiting for the account. */
  @Asynchronous
  public void onMessageLater(MessageRecord copy, PeerMessage from, List<String> reached) {
    onMessage(copy, from, reached);
  }

  private Replication self() {
    return context.getBusinessObject(Replication.class);
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
    String before = "";
    if (merge == Sessions.Merge.TAKEN_AWAY || merge == Sessions.Merge.CHANGED) {
      before = whereabouts.heard(copy.user(), copy.connected() ? copy.server() : null);
    }
    switch (merge) {
      case TAKEN_AWAY -> {
        passOn(copy, from, reached);
        courier.forget(copy.user());
        presence.changedSoon();
        handOver(copy);
      }
      case CHANGED -> {
        passOn(copy, from, reached);
        presence.changedSoon();
        if (!before.equals(copy.server())) {
          handOver(copy); // logged in or moved there: it may lack a copy lost with a dead server
        }
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

  /** Messages handed to a user's new server at most, per move. */
  static final int HANDED_OVER = 500;

  /**
   * A user is connected to another server now (a login there, or a failover after its server died):
   * what waits here for the user undelivered goes there at once, so that server pushes it even if
   * the copy that would have reached it was lost with a dead server.
   */
  private void handOver(SessionRecord copy) {
    if (!copy.connected() || copy.server().equals(settings.nodeName())) {
      return;
    }
    List<MessageRecord> waiting = mailbox.undeliveredCopiesFor(copy.user(), HANDED_OVER);
    if (!waiting.isEmpty()) {
      peers.toNode(copy.server(), waiting, List.of());
    }
  }

  /** A peer asks for everything that changed since a time: accounts, sessions, messages. */
  public void onSync(SyncRequest request, PeerLinkId from) {
    changesSince(request.sinceMillis(), frames -> replyCatchingUp(from, frames));
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
            try {
              connection.sendToPeer(peer, frames, PeerLane.CATCH_UP);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
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
    reply(link, frames, PeerLane.LIVE);
  }

  private void replyCatchingUp(PeerLinkId link, List<? extends PeerFrame> frames) {
    reply(link, frames, PeerLane.CATCH_UP);
  }

  private void reply(PeerLinkId link, List<? extends PeerFrame> frames, PeerLane lane) {
    if (frames.isEmpty()) {
      return;
    }
    try (MessengerConnection connection = sockets.getConnection()) {
      connection.reply(link, frames, lane);
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
