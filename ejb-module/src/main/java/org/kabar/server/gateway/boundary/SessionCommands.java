package org.kabar.server.gateway.boundary;

import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.kabar.protocol.client.ClientReply;
import org.kabar.protocol.client.ClientReply.ChannelMembers;
import org.kabar.protocol.client.ClientReply.Delivery;
import org.kabar.protocol.client.ClientReply.Done;
import org.kabar.protocol.client.ClientReply.ErrorReply;
import org.kabar.protocol.client.ClientReply.InboxEntry;
import org.kabar.protocol.client.ClientReply.InboxPage;
import org.kabar.protocol.client.ClientReply.MessageText;
import org.kabar.protocol.client.ClientReply.Sent;
import org.kabar.protocol.client.ClientReply.UserList;
import org.kabar.protocol.client.Command;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.protocol.client.Names;
import org.kabar.protocol.client.Request;
import org.kabar.protocol.client.RetryHint;
import org.kabar.protocol.peer.MessageRecord;
import org.kabar.server.accounts.boundary.Logins;
import org.kabar.server.channels.boundary.Channels;
import org.kabar.server.cluster.boundary.Replication;
import org.kabar.server.cluster.boundary.UserReplication;
import org.kabar.server.cluster.control.ActivePeers;
import org.kabar.server.cluster.control.StoredAcks;
import org.kabar.server.cluster.control.Whereabouts;
import org.kabar.server.gateway.control.AddressChecks;
import org.kabar.server.messaging.boundary.Courier;
import org.kabar.server.messaging.boundary.Mailbox;
import org.kabar.server.messaging.boundary.MailboxWrites;
import org.kabar.server.node.ConcurrentUpdates;
import org.kabar.server.node.NodeSettings;
import org.kabar.server.presence.boundary.Caller;
import org.kabar.server.presence.boundary.PresenceChanges;
import org.kabar.server.presence.boundary.PresenceNotices;
import org.kabar.server.presence.boundary.Sessions;
import org.kabar.server.presence.control.SessionCache;

/**
 * Serves the commands of a logged-in session (seed S1.2–S1.7). {@link #serve} computes the reply
 * (each component commits its own work); {@link #afterReply} does what must follow the reply, such
 * as pushing a stored message to its recipient. Like the gateway, a CDI bean outside any
 * transaction: each component it calls commits its own work.
 */
@ApplicationScoped
public class SessionCommands {

  private static final Logger LOG = Logger.getLogger(SessionCommands.class.getName());

  @EJB Sessions sessions;

  @EJB Mailbox mailbox;

  @Inject Courier courier;

  @Inject MailboxWrites writes;

  @EJB PresenceChanges presence;

  @EJB Channels channels;

  @EJB UserReplication users;

  @EJB Replication replication;

  @Inject ActivePeers activePeers;

  @Inject Whereabouts whereabouts;

  @Inject SessionCache sessionCache;

  @Inject Logins logins;

  @Inject AddressChecks checks;

  @Inject NodeSettings settings;

  /**
   * The client failed over to this server with its token (seed S3.7): the other servers learn the
   * session is here now, and what waits for the user is pushed from here.
   */
  public void tookOver(Caller caller) {
    replication.sessionsChanged(List.of(caller.sessionId()));
    courier.forget(caller.username()); // nothing stalled here from before counts any more
    courier.deliver(caller.username(), mailbox.offlineFor(caller.username()));
  }

  /** Whether {@link #begin} gathers the command's write rather than serving it at once. */
  public static boolean gathers(Command command) {
    return command instanceof Command.Send || command instanceof Command.Ack;
  }

  /**
   * How long a sender whose message was not confirmed on a second server is told to wait before
   * sending it again ({@code ERR 507 busy, retry in <n> ms}).
   */
  static final long UNCONFIRMED_RETRY_MILLIS = 500;

  /** Starts the writes of a batch of requests; {@link Batch#run} runs them together. */
  public Batch batch() {
    return new Batch(writes.gather());
  }

  /**
   * The SENDs and ACKs of one batch of datagrams: their writes share one commit, then the new
   * messages of all of them go to the other servers together, and the batch waits once for a second
   * server to confirm them ({@code STORED}).
   */
  public final class Batch {
    private final MailboxWrites.Gathered writes;
    private final List<Supplier<Mailbox.Stored>> sends = new ArrayList<>();
    private final Map<Long, Supplier<Boolean>> acks = new LinkedHashMap<>();
    private StoredAcks.Awaited awaited;
    private volatile Set<Long> confirmed = Set.of();

    private Batch(MailboxWrites.Gathered writes) {
      this.writes = writes;
    }

    /** Runs the writes gathered, then the replication of the messages they stored. */
    public void run() {
      writes.run();
      List<Mailbox.Stored> stored = new ArrayList<>(sends.size());
      for (Supplier<Mailbox.Stored> send : sends) {
        try {
          stored.add(send.get());
        } catch (RuntimeException failed) {
          // this request's answer reports it
        }
      }
      try {
        awaited = replicate(stored);
        confirmed = null; // all, unless the wait says otherwise
      } catch (RuntimeException e) {
        // none confirmed: each sender is asked to send again, and is answered once it is
        LOG.log(Level.WARNING, "new messages not sent to the other servers", e);
      }
    }

    /**
     * Runs the batch's answers once a second server has confirmed its new messages, or the wait for
     * it is over ({@link Replication#STORED_WAIT_MILLIS}); at once if there is nothing to wait for.
     * No thread waits meanwhile.
     */
    public void thenAnswer(Runnable answers) {
      if (awaited == null) {
        answers.run();
        acknowledged();
        return;
      }
      awaited.then(
          Replication.STORED_WAIT_MILLIS,
          done -> {
            // no answer in time, and no other server active any more: kept with one copy here
            confirmed = done.size() < awaited.size() && !replication.anyPeerActive() ? null : done;
            answers.run();
            acknowledged();
          });
    }

    /** The batch's deliveries (ACKs that marked a message), to the other servers together. */
    private void acknowledged() {
      if (acks.isEmpty()) {
        return;
      }
      List<Long> ids = new ArrayList<>(acks.size());
      acks.forEach(
          (id, found) -> {
            try {
              if (found.get()) {
                ids.add(id);
              }
            } catch (RuntimeException failed) {
              // not marked: nothing to tell
            }
          });
      try {
        messagesChanged(ids);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "deliveries not sent to the other servers", e);
      }
    }
  }

  /**
   * Begins serving a command of a batch: a SEND or an ACK adds its write to the batch's writes and
   * is answered once they have run; any other command is served at once. The supplier gives the
   * reply, and is called after {@link Batch#run()}.
   */
  public Supplier<ClientReply> begin(Caller caller, Request request, Batch batch) {
    long seq = request.seq();
    Command command = request.command();
    if (command instanceof Command.Send send) {
      Supplier<Mailbox.Stored> stored =
          once(batch.writes.send(caller, seq, send.to(), send.text()));
      batch.sends.add(stored);
      return () -> sent(seq, stored.get(), batch.confirmed);
    } else if (command instanceof Command.Ack ack) {
      Supplier<Boolean> found = batch.writes.acknowledge(caller.username(), ack.messageId());
      batch.acks.put(ack.messageId(), found);
      return () -> done(seq, "ACK", found.get());
    }
    ClientReply reply = serve(caller, request);
    return () -> reply;
  }

  /** A supplier that asks the given one once and repeats the answer (or the failure). */
  private static <T> Supplier<T> once(Supplier<T> supplier) {
    return new Supplier<>() {
      private T value;
      private RuntimeException failure;
      private boolean asked;

      @Override
      public synchronized T get() {
        if (!asked) {
          asked = true;
          try {
            value = supplier.get();
          } catch (RuntimeException e) {
            failure = e;
          }
        }
        if (failure != null) {
          throw failure;
        }
        return value;
      }
    };
  }

  /**
   * Sends the messages stored by these requests to the other servers, to be confirmed on a second
   * disk; a repeated request's rows are read again and sent again (what it sent before may not have
   * been confirmed).
   *
   * @return the wait for the confirmations; null if there is nothing to wait for
   */
  private StoredAcks.Awaited replicate(List<Mailbox.Stored> stored) {
    if (activePeers.aloneLately(peer -> settings.isSelf(peer.address(), peer.port()))) {
      return null;
    }
    List<MessageRecord> copies = new ArrayList<>();
    List<Long> again = new ArrayList<>();
    for (Mailbox.Stored one : stored) {
      if (one.refusal() != null || one.ids().isEmpty()) {
        continue;
      }
      if (one.storedNow()) {
        copies.addAll(one.copies());
      } else {
        again.addAll(one.ids());
      }
    }
    if (!again.isEmpty()) {
      copies.addAll(mailbox.copies(again));
    }
    return replication.replicateNew(copies);
  }

  private ClientReply sent(long seq, Mailbox.Stored stored, Set<Long> confirmed) {
    if (stored.refusal() != null) {
      return ErrorReply.of(seq, stored.refusal());
    }
    if (confirmed != null && !confirmed.containsAll(stored.ids())) {
      // stored here, not yet confirmed on a second disk: the same request again finds these rows
      // (never stored twice) and sends them again
      return RetryHint.busy(seq, UNCONFIRMED_RETRY_MILLIS);
    }
    return new Sent(seq, stored.firstId());
  }

  /** The reply to one command. */
  public ClientReply serve(Caller caller, Request request) {
    long seq = request.seq();
    Command command = request.command();
    if (command instanceof Command.ListUsers) {
      Sessions.Online online = sessions.online(PresenceNotices.ONLINE_NAMES);
      return new UserList(seq, online.first(), online.more());
    } else if (command instanceof Command.Inbox inbox) {
      List<InboxEntry> page = mailbox.inbox(caller.username(), inbox.afterId());
      boolean more = page.size() > Mailbox.PAGE;
      return new InboxPage(seq, more ? page.subList(0, Mailbox.PAGE) : page, more);
    } else if (command instanceof Command.Read read) {
      Optional<Delivery> message =
          concurrently(() -> mailbox.read(caller.username(), read.messageId()));
      return message
          .<ClientReply>map(m -> new MessageText(seq, m.id(), m.from(), m.to(), m.time(), m.text()))
          .orElse(ErrorReply.of(seq, ErrorCode.NO_SUCH_MESSAGE));
    } else if (command instanceof Command.Send send) {
      Mailbox.Stored stored = writes.send(caller, seq, send.to(), send.text());
      StoredAcks.Awaited awaited = replicate(List.of(stored));
      if (awaited == null) {
        return sent(seq, stored, null);
      }
      CompletableFuture<Set<Long>> confirmed = new CompletableFuture<>();
      awaited.then(Replication.STORED_WAIT_MILLIS, confirmed::complete);
      return sent(seq, stored, confirmed.join());
    } else if (command instanceof Command.Delete delete) {
      return done(
          seq, "DELETE", concurrently(() -> mailbox.delete(caller.username(), delete.messageId())));
    } else if (command instanceof Command.Ack ack) {
      // one UPDATE that only adds the flag: no version to check, nothing to run again
      boolean found = writes.acknowledge(caller.username(), ack.messageId());
      if (found) {
        messagesChanged(List.of(ack.messageId()));
      }
      return done(seq, "ACK", found);
    } else if (command instanceof Command.Live) {
      return new Done(seq, "LIVE");
    } else if (command instanceof Command.Logout) {
      sessions.logout(caller.sessionId());
      replication.sessionsChanged(List.of(caller.sessionId()));
      return new Done(seq, "LOGOUT");
    } else if (command instanceof Command.Unregister unregister) {
      return unregister(caller, request.token(), seq, unregister.proof());
    } else if (command instanceof Command.Check check) {
      if (!checks.passes(caller.sessionId(), caller.address(), check.challenge())) {
        return new ErrorReply(seq, ErrorCode.BAD_ARGUMENTS, "no such challenge for this address");
      }
      if (!sessions.moveAddress(caller.sessionId(), caller.address())) {
        return ErrorReply.of(seq, ErrorCode.BAD_SESSION);
      }
      replication.sessionsChanged(List.of(caller.sessionId()));
      return new Done(seq, "CHECK");
    }
    return channelCommand(caller, seq, command);
  }

  /**
   * Removes the caller's account once the request proves the password: a SCRAM proof over the
   * session's token, or for directory accounts the password sealed for this node.
   */
  private ClientReply unregister(Caller caller, String token, long seq, String proof) {
    if (users.directoryAccounts()) {
      Optional<String> password = logins.sealedForUnregister(caller.username(), token, proof);
      if (password.isEmpty()) {
        logins.failed(caller.address(), caller.username());
        return ErrorReply.of(seq, ErrorCode.WRONG_CREDENTIALS);
      }
      return outcome(
          seq, "UNREGISTER", users.unregisterFromDirectory(caller.username(), password.get()));
    }
    if (!logins.provesForUnregister(caller.username(), token, proof, caller.address())) {
      return ErrorReply.of(seq, ErrorCode.WRONG_CREDENTIALS);
    }
    users.unregister(caller.username());
    return new Done(seq, "UNREGISTER");
  }

  private ClientReply channelCommand(Caller caller, long seq, Command command) {
    String user = caller.username();
    if (command instanceof Command.CreateChannel c) {
      Optional<ErrorCode> refusal = channels.create(c.channel(), user);
      if (refusal.equals(Optional.of(ErrorCode.NAME_TAKEN))) {
        return new ErrorReply(seq, ErrorCode.NAME_TAKEN, "channel name taken"); // not "username"
      }
      return shared(seq, "CREATE", c.channel(), user, refusal);
    } else if (command instanceof Command.Invite i) {
      return shared(
          seq,
          "INVITE",
          i.channel(),
          i.username(),
          channels.invite(i.channel(), user, i.username()));
    } else if (command instanceof Command.Join j) {
      return shared(seq, "JOIN", j.channel(), user, channels.join(j.channel(), user));
    } else if (command instanceof Command.Leave l) {
      return shared(seq, "LEAVE", l.channel(), user, channels.leave(l.channel(), user));
    } else if (command instanceof Command.Kick k) {
      return shared(
          seq, "KICK", k.channel(), k.username(), channels.kick(k.channel(), user, k.username()));
    } else if (command instanceof Command.Members m) {
      return channels
          .members(m.channel(), user)
          .<ClientReply>map(members -> new ChannelMembers(seq, m.channel(), members, 0))
          .orElse(ErrorReply.of(seq, ErrorCode.NO_SUCH_CHANNEL));
    }
    return ErrorReply.of(seq, ErrorCode.UNKNOWN_COMMAND);
  }

  /** The outcome of a channel change; a change made is sent to every server before the reply. */
  private ClientReply shared(
      long seq, String verb, String channel, String changedUser, Optional<ErrorCode> refusal) {
    if (refusal.isEmpty()) {
      replication.channelChanged(channel, changedUser);
    }
    return outcome(seq, verb, refusal);
  }

  /**
   * Runs a change of a message's flags, again if another change of the same row (a READ and an ACK
   * or DELETE of one message arriving together, a copy from another server) committed first: the
   * changes only ever add flags, so repeating one is safe.
   */
  private static <T> T concurrently(Supplier<T> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        return change.get();
      } catch (EJBException e) {
        if (attempt >= 3 || !ConcurrentUpdates.isOptimisticLockFailure(e)) {
          throw e;
        }
      }
    }
  }

  private static ClientReply outcome(long seq, String verb, Optional<ErrorCode> refusal) {
    return refusal.<ClientReply>map(code -> ErrorReply.of(seq, code)).orElse(new Done(seq, verb));
  }

  /** What follows a reply: pushes, presence notices, forgetting a departed user's pushes. */
  public void afterReply(Caller caller, Request request, ClientReply reply) {
    if (reply instanceof ErrorReply) {
      return;
    }
    Command command = request.command();
    if (command instanceof Command.Send send
        && ((Sent) reply).id() != 0
        && !send.to().equals(Names.EVERYONE)
        && !send.to().startsWith("#")) {
      // one recipient: the reply already names the one message stored
      if (pushedFromHere(send.to())) {
        courier.deliver(send.to(), List.of(((Sent) reply).id()));
      }
    } else if (command instanceof Command.Send send && ((Sent) reply).id() != 0) {
      Mailbox.Stored stored = mailbox.send(caller, request.seq(), send.to(), send.text());
      for (int i = 0; i < stored.ids().size(); i++) {
        courier.deliver(stored.recipients().get(i), List.of(stored.ids().get(i)));
      }
    } else if (command instanceof Command.Invite invite) {
      String note =
          "invites you to " + invite.channel() + ": JOIN " + invite.channel() + " to accept";
      Mailbox.Stored stored = mailbox.send(caller, request.seq(), invite.username(), note);
      messagesChanged(stored.ids());
      courier.deliver(invite.username(), stored.ids());
    } else if (command instanceof Command.Ack ack) {
      // the other servers hear of it with the batch's other deliveries (Batch.thenAnswer)
      courier.acknowledged(caller.username(), ack.messageId());
    } else if (command instanceof Command.Read read) {
      messagesChanged(List.of(read.messageId()));
    } else if (command instanceof Command.Delete delete) {
      courier.acknowledged(caller.username(), delete.messageId()); // not pushed again
      messagesChanged(List.of(delete.messageId()));
    } else if (command instanceof Command.Logout || command instanceof Command.Unregister) {
      courier.forget(caller.username());
      presence.changed();
    }
  }

  /**
   * Whether pushes to the user go from this server: always on a lone server; in a deployment, if
   * the user is connected here as far as this server knows (another server pushes to its own users,
   * and no one to a user who is away), so a message for a user elsewhere costs no lookups here.
   */
  private boolean pushedFromHere(String user) {
    if (activePeers.aloneLately(peer -> settings.isSelf(peer.address(), peer.port()))) {
      return true;
    }
    return sessionCache.byUsername(user).isPresent()
        || whereabouts.serverOf(user, sessions::serverOf).equals(settings.nodeName());
  }

  /**
   * Sends changed messages to the other servers; not even a call to the replication when, as read
   * within the last second, there is no other server (the common case of a single node).
   */
  private void messagesChanged(List<Long> ids) {
    if (!activePeers.aloneLately(peer -> settings.isSelf(peer.address(), peer.port()))) {
      replication.messagesChanged(ids);
    }
  }

  private static ClientReply done(long seq, String verb, boolean found) {
    return found ? new Done(seq, verb) : ErrorReply.of(seq, ErrorCode.NO_SUCH_MESSAGE);
  }
}
