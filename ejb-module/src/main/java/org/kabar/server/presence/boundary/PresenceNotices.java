package org.kabar.server.presence.boundary;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.kabar.protocol.client.ClientCodec;
import org.kabar.protocol.client.ClientReply.OnlineUsers;
import org.kabar.protocol.client.ClientReply.SessionEnded;
import org.kabar.server.gateway.control.ClientReplies;

/** Tells every online user who is online whenever that changes (seed S2.5). */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class PresenceNotices {

  /** More names than one datagram holds (at least two bytes a name): the rest is a count. */
  public static final int ONLINE_NAMES = ClientCodec.MAX_DATAGRAM_BYTES / 2;

  /** The most sessions one slice of a notice is pushed to before the notice pauses. */
  static final int SLICE = 256;

  /** The longest a notice to everyone is spread over (well within its second). */
  static final long SPREAD_NANOS = TimeUnit.MILLISECONDS.toNanos(400);

  /** The longest pause between two slices. */
  static final long PAUSE_AT_MOST_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  @EJB Sessions sessions;

  @Inject ClientReplies replies;

  /**
   * Pushes the online list, of every server, to the sessions connected here; each server tells its
   * own (best effort: the client can LIST). Thousands of pushes are sent a slice at a time with a
   * pause between slices ({@link #pauseNanos}), spread over at most {@link #SPREAD_NANOS}: sent in
   * one burst they held a core for tens of milliseconds each second of a login storm, in front of
   * the chat's requests.
   */
  public void onlineChanged() {
    Sessions.Online online = sessions.online(ONLINE_NAMES);
    List<InetSocketAddress> addresses = sessions.addressesHere();
    OnlineUsers notice = new OnlineUsers(online.first(), online.more());
    long pause = pauseNanos(addresses.size());
    for (int from = 0; from < addresses.size(); from += SLICE) {
      if (from > 0) {
        LockSupport.parkNanos(pause);
      }
      replies.pushAll(addresses.subList(from, Math.min(addresses.size(), from + SLICE)), notice);
    }
  }

  /** The pause between two slices of a notice to this many sessions: none for a single slice. */
  static long pauseNanos(int sessions) {
    int slices = (sessions + SLICE - 1) / SLICE;
    return slices <= 1 ? 0 : Math.min(PAUSE_AT_MOST_NANOS, SPREAD_NANOS / (slices - 1));
  }

  /** Tells a client its session was ended by the server. */
  public void ended(Caller session, String reason) {
    replies.push(session.address(), new SessionEnded(reason));
  }
}
