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
import org.kabar.server.accounts.boundary.Logins;
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
 * Serves the commands sent without a session: the login exchange ({@code AUTH}, {@code PROVE}) and
 * {@code REGISTER}. Their replies go to an address nobody has proved yet, so each must fit in the
 * request's own size: the client pads these requests, and a reply that still would not fit is
 * refused before anything is done. They arrive on the adapter's queue for requests without a
 * session, served by threads of their own, so that their work (a directory bind, a registration's
 * claims across servers) never holds up the sessions' requests.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class AnonymousCommands {

  private static final String SAMPLE_TOKEN = "x".repeat(22);

  private static final String SAMPLE_SIGNATURE = "x".repeat(44);

  @EJB UserReplication users;

  @EJB Sessions sessions;

  @EJB Mailbox mailbox;

  @Inject Courier courier;

  @EJB PresenceChanges presence;

  @EJB Replication replication;

  @Inject Logins logins;

  @Inject ClientReplies replies;

  /**
   * A reply, and the user it logged in (to tell everyone and hand over the offline messages once
   * the reply has gone), or null.
   */
  public record Answer(ClientReply reply, String loggedIn) {
    static Answer of(ClientReply reply) {
      return new Answer(reply, null);
    }
  }

  /** The reply to AUTH, PROVE or REGISTER. */
  public Answer serve(ClientDatagram datagram, Request request) {
    long seq = request.seq();
    Command command = request.command();
    if (command instanceof Command.Auth auth) {
      Logins.Outcome outcome =
          logins.challenge(
              seq, auth.username(), auth.clientNonce(), datagram.sender(), sessions::loggedInFrom);
      if (outcome instanceof Logins.Challenge challenge) {
        return Answer.of(
            replies.fits(datagram, challenge.reply())
                ? challenge.reply()
                : ErrorReply.of(seq, ErrorCode.PAD_REQUEST));
      }
      return Answer.of(refusal(seq, outcome));
    } else if (command instanceof Command.Prove prove) {
      return prove(datagram, seq, prove);
    } else if (command instanceof Command.Register register) {
      Logins.Outcome outcome =
          logins.registration(register.nonce(), register.sealed(), datagram.sender());
      if (outcome instanceof Logins.NewAccount account) {
        Optional<ErrorCode> refusal =
            users.register(
                account.username(),
                account.keys(),
                account.password(),
                datagram.sender().getAddress().getHostAddress());
        if (refusal.isPresent()) {
          return Answer.of(ErrorReply.of(seq, refusal.get()));
        }
        logins.succeeded(account.username(), datagram.sender());
        return Answer.of(new Done(seq, "REGISTER"));
      }
      return Answer.of(refusal(seq, outcome));
    }
    return Answer.of(ErrorReply.of(seq, ErrorCode.UNKNOWN_COMMAND));
  }

  private Answer prove(ClientDatagram datagram, long seq, Command.Prove prove) {
    if (!replies.fits(datagram, new LoggedIn(seq, SAMPLE_TOKEN, SAMPLE_SIGNATURE, List.of(), 0))) {
      return Answer.of(ErrorReply.of(seq, ErrorCode.PAD_REQUEST)); // the exchange stays open
    }
    Logins.Outcome outcome =
        logins.prove(prove.nonce(), prove.proof(), datagram.sender(), sessions::loggedInFrom);
    String username;
    String signature;
    if (outcome instanceof Logins.Proven proven) {
      username = proven.username();
      signature = proven.serverSignature();
    } else if (outcome instanceof Logins.SealedPassword sealed) {
      Optional<ErrorCode> refused = users.directorySignIn(sealed.username(), sealed.password());
      if (refused.isPresent()) {
        if (refused.get() == ErrorCode.WRONG_CREDENTIALS) {
          logins.failed(datagram.sender(), sealed.username());
        }
        return Answer.of(ErrorReply.of(seq, refused.get()));
      }
      logins.succeeded(sealed.username(), datagram.sender());
      username = sealed.username();
      signature = sealed.serverSignature();
    } else {
      return Answer.of(refusal(seq, outcome));
    }
    LoginResult result = sessions.login(username, datagram.sender());
    if (result.refusal() == ErrorCode.FULL) {
      return Answer.of(new Full(seq, result.alternatives()));
    }
    if (result.refusal() != null) {
      return Answer.of(ErrorReply.of(seq, result.refusal()));
    }
    replication.sessionsChanged(result.changed());
    if (result.replaced() != null) {
      replies.push(result.replaced(), new ClientReply.SessionEnded("replaced"));
    }
    return new Answer(
        fitted(
            datagram,
            seq,
            result.token(),
            signature,
            sessions.online(PresenceNotices.ONLINE_NAMES)),
        username);
  }

  /** After a successful login's reply: tell everyone, then hand over the offline messages. */
  public void afterLogin(String username) {
    presence.changed();
    courier.forget(username); // what the previous session had in flight starts afresh
    courier.deliver(username, mailbox.offlineFor(username));
  }

  private static ClientReply refusal(long seq, Logins.Outcome outcome) {
    if (outcome instanceof Logins.Refused refused) {
      return new ErrorReply(seq, refused.code(), refused.text());
    }
    throw new IllegalStateException("unexpected outcome " + outcome.getClass().getSimpleName());
  }

  /**
   * The login reply with as much of the online list as the request's size allows: the longest
   * prefix that fits, found by doubling and then halving (a few encodings, however many are
   * online).
   */
  private LoggedIn fitted(
      ClientDatagram datagram, long seq, String token, String signature, Sessions.Online online) {
    List<String> names = online.first();
    int fits = 0; // the longest prefix known to fit
    int tooMany = names.size() + 1; // the shortest prefix known not to fit
    for (int n = Math.min(8, names.size()); n > fits && n < tooMany; ) {
      if (replies.fits(datagram, loggedIn(seq, token, signature, online, n))) {
        fits = n;
        n = Math.min(n * 2, names.size());
      } else {
        tooMany = n;
      }
      if (n == fits || n >= tooMany) {
        n = (fits + tooMany) / 2;
      }
    }
    return loggedIn(seq, token, signature, online, fits);
  }

  private static LoggedIn loggedIn(
      long seq, String token, String signature, Sessions.Online online, int shown) {
    return new LoggedIn(
        seq,
        token,
        signature,
        List.copyOf(online.first().subList(0, shown)),
        (int) Math.min(Integer.MAX_VALUE, online.total() - shown));
  }
}
