package org.kabar.server.presence.boundary;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
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

  @EJB Sessions sessions;

  @Inject ClientReplies replies;

  /**
   * Pushes the online list, of every server, to the sessions connected here; each server tells its
   * own (best effort: the client can LIST).
   */
  public void onlineChanged() {
    Sessions.Online online = sessions.online(ONLINE_NAMES);
    replies.pushAll(sessions.addressesHere(), new OnlineUsers(online.first(), online.more()));
  }

  /** Tells a client its session was ended by the server. */
  public void ended(Caller session, String reason) {
    replies.push(session.address(), new SessionEnded(reason));
  }
}
