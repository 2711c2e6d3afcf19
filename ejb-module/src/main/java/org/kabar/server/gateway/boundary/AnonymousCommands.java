package org.kabar.server.gateway.boundary;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.kabar.adapter.api.ClientDatagram;
import org.kabar.protocol.client.ClientReply;
import org.kabar.protocol.client.ClientReply.Done;
import org.kabar.protocol.client.ClientReply.ErrorReply;
import org.kabar.protocol.client.ClientReply.Full;
import org.kabar.protocol.client.ClientReply.LoggedIn;
import org.kabar.protocol.client.Command;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.protocol.client.Request;
import org.kabar.server.cluster.boundary.Replication;
import org.kabar.server.cluster.boundary.UserReplication;
import org.kabar.server.gateway.control.ClientReplies;
import org.kabar.server.messaging.boundary.Courier;
import org.kabar.server.messaging.boundary.Mailbox;
import org.kabar.server.presence.boundary.LoginResult;
import org.kabar.server.presence.boundary.PresenceChanges;
import org.kabar.server.presence.boundary.PresenceNotices;
import org.kabar.server.presence.boundary.Sessions;

/**
 * Serves the commands sent without a session, REGISTER and LOGIN. Their replies go to an address
 * nobody has proved yet, so each must fit in the request's own size: the client pads these
 * requests, and a reply that still would not fit is refused before anything is done.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class AnonymousCommands {

  private static final String SAMPLE_TOKEN = "x".repeat(22);

  @EJB UserReplication users;

  @EJB Sessions sessions;

  @EJB Mailbox mailbox;

  @EJB Courier courier;

  @EJB PresenceChanges presence;

  @EJB Replication replication;

  @Inject ClientReplies replies;

  /** The reply to REGISTER or LOGIN. */
  public ClientReply serve(ClientDatagram datagram, Request request) {
    if (request.command() instanceof Command.Register register) {
      Optional<ErrorCode> refusal =
          users.register(
              register.username(),
              register.password(),
              datagram.sender().getAddress().getHostAddress());
      return refusal
          .<ClientReply>map(code -> ErrorReply.of(request.seq(), code))
          .orElse(new Done(request.seq(), "REGISTER"));
    }
    Command.Login login = (Command.Login) request.command();
    if (!replies.fits(datagram, new LoggedIn(request.seq(), SAMPLE_TOKEN, List.of(), 0))) {
      return ErrorReply.of(request.seq(), ErrorCode.PAD_REQUEST);
    }
    boolean directory = users.directoryAccounts();
    if (directory) {
      Optional<ErrorCode> refused = users.directorySignIn(login.username(), login.password());
      if (refused.isPresent()) {
        return ErrorReply.of(request.seq(), refused.get());
      }
    }
    LoginResult result =
        sessions.login(login.username(), login.password(), datagram.sender(), directory);
    if (result.refusal() == ErrorCode.FULL) {
      return new Full(request.seq(), result.alternatives());
    }
    if (result.refusal() != null) {
      return ErrorReply.of(request.seq(), result.refusal());
    }
    replication.sessionsChanged(result.changed());
    if (result.replaced() != null) {
      replies.push(result.replaced(), new ClientReply.SessionEnded("replaced"));
    }
    return fitted(
        datagram, request.seq(), result.token(), sessions.online(PresenceNotices.ONLINE_NAMES));
  }

  /** After a successful login's reply: tell everyone, then hand over the offline messages. */
  public void afterReply(Request request, ClientReply reply) {
    if (reply instanceof LoggedIn && request.command() instanceof Command.Login login) {
      presence.changed();
      courier.deliver(login.username(), mailbox.offlineFor(login.username()));
    }
  }

  /**
   * The login reply with as much of the online list as the request's size allows: the longest
   * prefix that fits, found by doubling and then halving (a few encodings, however many are
   * online).
   */
  private LoggedIn fitted(ClientDatagram datagram, long seq, String token, Sessions.Online online) {
    List<String> names = online.first();
    int fits = 0; // the longest prefix known to fit
    int tooMany = names.size() + 1; // the shortest prefix known not to fit
    for (int n = Math.min(8, names.size()); n > fits && n < tooMany; ) {
      if (replies.fits(datagram, loggedIn(seq, token, online, n))) {
        fits = n;
        n = Math.min(n * 2, names.size());
      } else {
        tooMany = n;
      }
      if (n == fits || n >= tooMany) {
        n = (fits + tooMany) / 2;
      }
    }
    return loggedIn(seq, token, online, fits);
  }

  private static LoggedIn loggedIn(long seq, String token, Sessions.Online online, int shown) {
    return new LoggedIn(
        seq,
        token,
        List.copyOf(online.first().subList(0, shown)),
        (int) Math.min(Integer.MAX_VALUE, online.total() - shown));
  }
}
