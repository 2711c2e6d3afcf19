package org.kabar.server.gateway.boundary;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.kabar.adapter.api.ClientDatagram;
import org.kabar.protocol.client.ClientReply;
import org.kabar.protocol.client.ClientReply.AddressCheck;
import org.kabar.protocol.client.ClientReply.Alive;
import org.kabar.protocol.client.ClientReply.Done;
import org.kabar.protocol.client.ClientReply.ErrorReply;
import org.kabar.protocol.client.Command;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.protocol.client.InvalidRequest;
import org.kabar.protocol.client.LiveCheck;
import org.kabar.protocol.client.Request;
import org.kabar.protocol.client.RetryHint;
import org.kabar.server.gateway.control.AddressChecks;
import org.kabar.server.gateway.control.ClientReplies;
import org.kabar.server.gateway.control.KeepAlives;
import org.kabar.server.gateway.control.RateLimits;
import org.kabar.server.gateway.control.ReplyCache;
import org.kabar.server.gateway.control.ReplyCache.Answered;
import org.kabar.server.gateway.control.ReplyCache.Fresh;
import org.kabar.server.messaging.boundary.Courier;
import org.kabar.server.messaging.control.StalledRecipients;
import org.kabar.server.presence.boundary.Authentication;
import org.kabar.server.presence.boundary.Authenticator;
import org.kabar.server.presence.boundary.Caller;
import org.kabar.server.presence.boundary.Sessions;

/**
 * Serves each client datagram. A request of a session is authenticated first (from memory when it
 * can, a database lookup only within the sender's budget), then held to the session's rate, and
 * only then answered from the reply cache or served; its reply goes back in full only to the
 * session's own address, and a request from another address starts an address check. A request
 * without a session is held to its address's rate first. It runs outside any transaction on
 * purpose: each component commits before its reply leaves, so a client is never told about
 * something the database does not hold. A CDI bean, not an EJB: it runs for every datagram, and a
 * container call per datagram was a measurable part of each message's cost.
 */
@ApplicationScoped
public class ClientGateway {

  private static final Logger LOG = Logger.getLogger(ClientGateway.class.getName());

  @EJB Sessions sessions;

  @Inject SessionCommands sessionCommands;

  @EJB AnonymousCommands anonymousCommands;

  @Inject Authenticator authenticator;

  @Inject ClientReplies replies;

  @Inject ReplyCache cache;

  @Inject RateLimits limits;

  @Inject KeepAlives keepAlives;

  @Inject AddressChecks checks;

  @Inject StalledRecipients stalled;

  @Inject Courier courier;

  /** Serves one datagram. */
  public void serve(ClientDatagram datagram) {
    String address = datagram.sender().getAddress().getHostAddress();
    if (datagram.request() instanceof LiveCheck) {
      if (limits.allowAddress(address)) {
        replies.sendUnauthenticated(datagram, new Alive());
        if (keepAlives.due(datagram.sender())) {
          sessions.keepAliveAt(datagram.sender());
        }
      }
    } else if (datagram.request() instanceof InvalidRequest invalid) {
      ErrorReply error = new ErrorReply(invalid.seq(), invalid.code(), invalid.detail());
      if (invalid.token() != null && invalid.seq() > 0) {
        // a malformed request of a session gets its error like any other reply of the session
        answer(
            serveInSession(datagram, invalid.token(), invalid.seq(), null, caller -> () -> error));
      } else if (limits.allowAddress(address)) {
        replies.sendUnauthenticated(datagram, error);
      }
    } else if (datagram.request() instanceof Request request) {
      if (request.token() == null) {
        serveAnonymous(datagram, request, address);
      } else {
        answer(
            serveInSession(
                datagram,
                request.token(),
                request.seq(),
                request,
                caller -> served(() -> sessionCommands.serve(caller, request))));
      }
    }
  }

  /**
   * Serves datagrams taken from the queue together, in the order received. The SENDs and ACKs of
   * sessions among them add their writes to the batch's writes, which then run in shared
   * transactions (group commit) as large as the batch; the new messages go to the other servers
   * together, and each SEND and ACK is answered once a second server confirmed the batch's messages
   * on its disk (or the wait for it ended). Everything else is served in turn, as {@link #serve}
   * does. The replies and pushes of the batch go out over one handle on the socket.
   */
  public void serveAll(List<ClientDatagram> datagrams) {
    try (ClientReplies.Held connection = replies.hold()) {
      serveBatch(datagrams);
    }
  }

  private void serveBatch(List<ClientDatagram> datagrams) {
    SessionCommands.Batch batch = sessionCommands.batch();
    List<Runnable> answers = new ArrayList<>();
    try {
      for (ClientDatagram datagram : datagrams) {
        try {
          if (datagram.request() instanceof Request request
              && request.token() != null
              && SessionCommands.gathers(request.command())) {
            Runnable answer =
                serveInSession(
                    datagram,
                    request.token(),
                    request.seq(),
                    request,
                    caller -> sessionCommands.begin(caller, request, batch));
            if (answer != null) {
              answers.add(answer);
            }
          } else {
            serve(datagram);
          }
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "a datagram of a batch was not served", e);
        }
      }
    } finally {
      batch.run();
      // once a second server holds the new messages: on the thread that hears so, if not this one
      batch.thenAnswer(
          () -> {
            try (ClientReplies.Held connection = replies.hold()) {
              answers.forEach(ClientGateway::answer);
            }
          });
    }
  }

  private static void answer(Runnable answer) {
    if (answer != null) {
      try {
        answer.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a reply was not sent", e);
      }
    }
  }

  /** A reply computed now, as the supplier {@link #serveInSession} takes. */
  private static Supplier<ClientReply> served(Supplier<ClientReply> serve) {
    ClientReply reply = serve.get();
    return () -> reply;
  }

  private void serveAnonymous(ClientDatagram datagram, Request request, String address) {
    if (!limits.allowAddress(address)) {
      replies.sendUnauthenticated(datagram, ErrorReply.of(request.seq(), ErrorCode.RATE_LIMITED));
      return;
    }
    InetSocketAddress sender = datagram.sender();
    ReplyCache.Lookup lookup = cache.begin(sender, request.seq());
    if (lookup instanceof Answered answered) {
      replies.sendUnauthenticated(datagram, answered.reply());
      return;
    }
    if (!(lookup instanceof Fresh)) {
      return; // the first copy is still being served
    }
    try {
      AnonymousCommands.Answer answer = anonymousCommands.serve(datagram, request);
      replies.sendUnauthenticated(datagram, answer.reply());
      cache.finish(sender, request.seq(), answer.reply());
      if (answer.loggedIn() != null) {
        anonymousCommands.afterLogin(answer.loggedIn());
      }
    } catch (RuntimeException e) {
      cache.abandon(sender, request.seq());
      LOG.log(Level.WARNING, "request " + request.command().verb() + " failed", e);
      replies.sendUnauthenticated(datagram, ErrorReply.of(request.seq(), ErrorCode.SERVER_ERROR));
    }
  }

  /**
   * Serves a request that carries a session's token up to its reply: authenticates it, holds it to
   * the session's rate, answers a repeat from the reply cache, and begins serving it.
   *
   * @param request the request, or null for a malformed one (answered by {@code serve})
   * @param serve begins serving the request; the supplier it returns gives the reply (a gathered
   *     write's once the batch's writes have run)
   * @return what sends the reply and does what follows it, or null if nothing more is to be done
   */
  private Runnable serveInSession(
      ClientDatagram datagram,
      String token,
      long seq,
      Request request,
      Function<Caller, Supplier<ClientReply>> serve) {
    InetSocketAddress sender = datagram.sender();
    String address = sender.getAddress().getHostAddress();
    Optional<Authentication> found =
        authenticator.authenticate(
            token, sender, () -> limits.allowLookup(address), () -> limits.lookupFailed(address));
    if (found.isEmpty()) {
      if (limits.allowAddress(address)) {
        replies.sendUnauthenticated(datagram, ErrorReply.of(seq, ErrorCode.BAD_SESSION));
      }
      return null;
    }
    Authentication authentication = found.get();
    Caller caller = authentication.caller();
    boolean fromItsAddress = authentication.fromItsAddress();
    if (!limits.allowSession(caller.sessionId())) {
      replies.send(datagram, ErrorReply.of(seq, ErrorCode.RATE_LIMITED), fromItsAddress);
      return null;
    }
    if (authentication.takenOver()) {
      sessionCommands.tookOver(caller);
    }
    boolean check = request != null && request.command() instanceof Command.Check;
    // what the reply may still take of the datagram's size, to an address not proved
    int allowance = fromItsAddress ? Integer.MAX_VALUE : datagram.sizeBytes();
    if (!fromItsAddress && !check) {
      String challenge = checks.challenge(caller.sessionId(), sender);
      if (challenge != null) {
        allowance -= replies.sendWithin(sender, new AddressCheck(challenge), allowance);
      }
    }
    boolean kept = keptInCache(request);
    ReplyCache.Lookup lookup = kept ? cache.begin(caller.sessionId(), seq) : new Fresh();
    if (lookup instanceof Answered answered) {
      // a repeat is held to its own size, whatever the first datagram's was and wherever its
      // reply went: the datagram asking now may come from anywhere
      replies.sendWithin(sender, answered.reply(), allowance);
      return null;
    }
    if (!(lookup instanceof Fresh)) {
      return null; // the first copy is still being served
    }
    Supplier<ClientReply> reply;
    int left = allowance;
    try {
      reply = serve.apply(caller);
    } catch (RuntimeException e) {
      return () -> failed(datagram, caller, seq, left, kept, e);
    }
    return () -> {
      try {
        ClientReply answer = reply.get();
        boolean nowItsAddress = check && answer instanceof Done;
        int sent = replies.sendWithin(sender, answer, nowItsAddress ? Integer.MAX_VALUE : left);
        if (kept && RetryHint.millis(answer).isPresent()) {
          cache.abandon(caller.sessionId(), seq); // asked to send again: served anew then
        } else if (kept) {
          cache.finish(caller.sessionId(), seq, answer, sent > 0 ? sender : null);
        }
        if (request != null) {
          after(caller, request, answer);
        }
      } catch (RuntimeException e) {
        failed(datagram, caller, seq, left, kept, e);
      }
    };
  }

  /**
   * Whether a request's reply is kept for its retransmissions. Not an {@code ACK}'s nor a {@code
   * LIVE}'s, half of all requests when people chat: served again, an {@code ACK} finds the message
   * already delivered and answers the same {@code OK ACK}, and {@code LIVE} does nothing. Keeping
   * them cost an entry per request and made an idle session's cache hold only keep-alives. Nor the
   * error of a malformed request ({@code request} null): it is served again, and a datagram that
   * says nothing cannot draw the reply to another request that had its sequence number.
   */
  private static boolean keptInCache(Request request) {
    return request != null
        && !(request.command() instanceof Command.Ack || request.command() instanceof Command.Live);
  }

  private void failed(
      ClientDatagram datagram,
      Caller caller,
      long seq,
      int allowance,
      boolean kept,
      RuntimeException e) {
    if (kept) {
      cache.abandon(caller.sessionId(), seq);
    }
    LOG.log(Level.WARNING, "request " + verb(datagram) + " failed", e);
    replies.sendWithin(datagram.sender(), ErrorReply.of(seq, ErrorCode.SERVER_ERROR), allowance);
  }

  private void after(Caller caller, Request request, ClientReply reply) {
    sessionCommands.afterReply(caller, request, reply);
    Command command = request.command();
    boolean ended =
        !(reply instanceof ErrorReply)
            && (command instanceof Command.Logout || command instanceof Command.Unregister);
    if (ended) {
      cache.forget(caller.sessionId());
    } else if (stalled.isStalled(caller.username())) {
      courier.heardFrom(caller.username()); // its pushes had stopped: go on
    }
  }

  private static String verb(ClientDatagram datagram) {
    return datagram.request() instanceof Request request ? request.command().verb() : "(malformed)";
  }
}
