package org.kabar.server.presence.boundary;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.List;
import org.kabar.protocol.client.ClientReply.OnlineUsers;
import org.kabar.protocol.client.ClientReply.SessionEnded;
import org.kabar.server.gateway.control.ClientReplies;

/** Tells every online user who is online whenever that changes (seed S2.5). */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class PresenceNotices {

  @EJB Sessions sessions;

  @Inject ClientReplies replies;

  /** Pushes the online list to every connected session (best effort: the client can LIST). */
  public void onlineChanged() {
    List<Caller> connected = sessions.connected();
    OnlineUsers notice =
        new OnlineUsers(connected.stream().map(Caller::username).distinct().toList(), 0);
    for (Caller session : connected) {
      replies.push(session.address(), notice);
    }
  }

  /** Tells a client its session was ended by the server. */
  public void ended(Caller session, String reason) {
    replies.push(session.address(), new SessionEnded(reason));
  }
}
