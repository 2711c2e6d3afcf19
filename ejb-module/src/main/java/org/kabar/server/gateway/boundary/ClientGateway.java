package org.kabar.server.gateway.boundary;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.kabar.adapter.api.ClientDatagram;
import org.kabar.protocol.client.ClientReply;
import org.kabar.protocol.client.ClientReply.Alive;
import org.kabar.protocol.client.ClientReply.ErrorReply;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.protocol.client.InvalidRequest;
import org.kabar.protocol.client.LiveCheck;
import org.kabar.protocol.client.Request;
import org.kabar.server.gateway.control.ClientReplies;
import org.kabar.server.gateway.control.KeepAlives;
import org.kabar.server.gateway.control.RateLimits;
import org.kabar.server.gateway.control.ReplyCache;
import org.kabar.server.gateway.control.ReplyCache.Answered;
import org.kabar.server.gateway.control.ReplyCache.Fresh;
import org.kabar.server.gateway.control.ReplyCache.Key;
import org.kabar.server.presence.boundary.Authentication;
import org.kabar.server.presence.boundary.Authenticator;
import org.kabar.server.presence.boundary.Caller;
import org.kabar.server.presence.boundary.Sessions;

/**
 * Serves each client datagram: answers retransmissions from the reply cache, applies rate limits,
 * authenticates the session, has the right component serve the command and sends the reply. It runs
 * outside any transaction on purpose: each component commits before its reply leaves, so a client
 * is never told about something the database does not hold. A CDI bean, not an EJB: it runs for
 * every datagram, and a container call per datagram was a measurable part of each message's cost.
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

  /** Serves one datagram. */
  public void serve(ClientDatagram datagram) {
    if (datagram.request() instanceof LiveCheck) {
      replies.sendUnauthenticated(datagram, new Alive()); // cheap and never larger: no limit
      if (keepAlives.due(datagram.sender())) {
        sessions.keepAliveAt(datagram.sender());
      }
    } else if (datagram.request() instanceof InvalidRequest invalid) {
      if (limits.allowAddress(datagram.sender().getAddress().getHostAddress())) {
        replies.sendUnauthenticated(
            datagram, new ErrorReply(invalid.seq(), invalid.code(), invalid.detail()));
      }
    } else if (datagram.request() instanceof Request request) {
      serve(datagram, request);
    }
  }

  private void serve(ClientDatagram datagram, Request request) {
    boolean anonymous = request.token() == null;
    String sender = anonymous ? datagram.sender().toString() : request.token();
    Key key = new Key(sender, request.seq());
    ReplyCache.Lookup lookup = cache.begin(key);
    if (lookup instanceof Answered answered) {
      resend(datagram, request, answered.reply());
      return;
    }
    if (!(lookup instanceof Fresh)) {
      return; // the first copy is still being served
    }
    try {
      ClientReply reply =
          anonymous ? serveAnonymous(datagram, request) : serveInSession(datagram, request);
      if (reply == null) {
        cache.abandon(key);
        return;
      }
      cache.finish(key, reply);
    } catch (RuntimeException e) {
      cache.abandon(key);
      LOG.log(Level.WARNING, "request " + request.command().verb() + " failed", e);
      replies.sendUnauthenticated(datagram, ErrorReply.of(request.seq(), ErrorCode.SERVER_ERROR));
    }
  }

  private ClientReply serveAnonymous(ClientDatagram datagram, Request request) {
    if (!limits.allowAddress(datagram.sender().getAddress().getHostAddress())) {
      replies.sendUnauthenticated(datagram, ErrorReply.of(request.seq(), ErrorCode.RATE_LIMITED));
      return null;
    }
    ClientReply reply = anonymousCommands.serve(datagram, request);
    replies.sendUnauthenticated(datagram, reply);
    anonymousCommands.afterReply(request, reply);
    return reply;
  }

  private ClientReply serveInSession(ClientDatagram datagram, Request request) {
    Optional<Authentication> found = authenticator.authenticate(request.token(), datagram.sender());
    if (found.isEmpty()) {
      replies.sendUnauthenticated(datagram, ErrorReply.of(request.seq(), ErrorCode.BAD_SESSION));
      return null; // not cached: the session may not exist yet on a retry
    }
    Optional<Caller> caller = found.map(Authentication::caller);
    if (found.get().takenOver()) {
      sessionCommands.tookOver(caller.get());
    }
    if (!limits.allowSession(caller.get().sessionId())) {
      replies.sendAuthenticated(datagram, ErrorReply.of(request.seq(), ErrorCode.RATE_LIMITED));
      return null;
    }
    ClientReply reply = sessionCommands.serve(caller.get(), request);
    replies.sendAuthenticated(datagram, reply);
    sessionCommands.afterReply(caller.get(), request, reply);
    return reply;
  }

  private void resend(ClientDatagram datagram, Request request, ClientReply reply) {
    if (request.token() == null) {
      replies.sendUnauthenticated(datagram, reply);
    } else {
      replies.sendAuthenticated(datagram, reply);
    }
  }
}
