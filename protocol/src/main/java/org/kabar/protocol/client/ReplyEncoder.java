package org.kabar.protocol.client;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.kabar.protocol.client.ClientReply.Alive;
import org.kabar.protocol.client.ClientReply.ChannelMembers;
import org.kabar.protocol.client.ClientReply.Delivery;
import org.kabar.protocol.client.ClientReply.Done;
import org.kabar.protocol.client.ClientReply.ErrorReply;
import org.kabar.protocol.client.ClientReply.Full;
import org.kabar.protocol.client.ClientReply.InboxEntry;
import org.kabar.protocol.client.ClientReply.InboxPage;
import org.kabar.protocol.client.ClientReply.LoggedIn;
import org.kabar.protocol.client.ClientReply.MessageText;
import org.kabar.protocol.client.ClientReply.OnlineUsers;
import org.kabar.protocol.client.ClientReply.Sent;
import org.kabar.protocol.client.ClientReply.SessionEnded;
import org.kabar.protocol.client.ClientReply.UserList;

/** Writes replies and pushes in their text form, cutting lists to fit one datagram. */
final class ReplyEncoder {

  /** Room kept for the newline and a ",+NNNNNN" saying how much was cut. */
  private static final int RESERVE = 10;

  private ReplyEncoder() {}

  static String text(ClientReply reply) {
    if (reply instanceof Alive) {
      return "yes";
    } else if (reply instanceof ErrorReply e) {
      String body = "ERR " + e.code().number() + (e.text().isEmpty() ? "" : " " + e.text());
      return e.seq() == 0 ? body : framed(e.seq(), body);
    } else if (reply instanceof Done d) {
      return framed(d.seq(), "OK " + d.verb());
    } else if (reply instanceof ClientReply.AuthChallenge a) {
      String head = framed(a.seq(), "OK AUTH " + a.nonce() + " " + a.nodeKey());
      return a.mode() == ClientReply.AuthChallenge.Mode.SCRAM
          ? head + " scram " + a.salt() + " " + a.iterations()
          : head + " directory";
    } else if (reply instanceof LoggedIn l) {
      String head = framed(l.seq(), "OK LOGIN " + l.token() + " " + l.serverSignature() + " ");
      return head + users(l.online(), l.more(), head);
    } else if (reply instanceof UserList u) {
      String head = framed(u.seq(), "OK LIST ");
      return head + users(u.users(), u.more(), head);
    } else if (reply instanceof ChannelMembers c) {
      String head = framed(c.seq(), "OK MEMBERS " + c.channel() + " ");
      return head + users(c.users(), c.more(), head);
    } else if (reply instanceof InboxPage p) {
      return inbox(p);
    } else if (reply instanceof MessageText m) {
      return framed(
          m.seq(),
          "OK READ "
              + m.id()
              + " "
              + m.from()
              + " "
              + m.to()
              + " "
              + time(m.time())
              + " "
              + m.text());
    } else if (reply instanceof Sent s) {
      return framed(s.seq(), "OK SEND " + s.id());
    } else if (reply instanceof Full f) {
      String servers = f.servers().isEmpty() ? "-" : String.join(",", f.servers());
      return framed(f.seq(), "ERR " + ErrorCode.FULL.number() + " full " + servers);
    } else if (reply instanceof Delivery d) {
      return ClientCodec.VERSION
          + " !"
          + d.id()
          + " MSG "
          + d.from()
          + " "
          + d.to()
          + " "
          + time(d.time())
          + " "
          + d.text();
    } else if (reply instanceof OnlineUsers o) {
      String head = ClientCodec.VERSION + " * ONLINE ";
      return head + users(o.users(), o.more(), head);
    } else if (reply instanceof ClientReply.AddressCheck c) {
      return ClientCodec.VERSION + " * CHECK " + c.challenge();
    } else if (reply instanceof SessionEnded s) {
      return ClientCodec.VERSION + " * BYE " + s.reason();
    } else if (reply instanceof ClientReply.Moved m) {
      return ClientCodec.VERSION + " * MOVED " + m.server() + " " + m.proof();
    }
    throw new IllegalArgumentException("unknown reply " + reply);
  }

  static String time(Instant time) {
    return time.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String framed(long seq, String body) {
    return ClientCodec.VERSION + " " + seq + " " + body;
  }

  /** Users joined by commas, "-" for none, cut with ",+N" when they would not fit. */
  private static String users(List<String> users, int more, String head) {
    if (users.isEmpty()) {
      return more > 0 ? "+" + more : "-";
    }
    int budget = ClientCodec.MAX_DATAGRAM_BYTES - bytes(head) - RESERVE;
    StringBuilder list = new StringBuilder();
    int included = 0;
    for (String user : users) {
      int cost = bytes(user) + (included == 0 ? 0 : 1);
      if (list.length() + cost > budget) {
        break;
      }
      list.append(included == 0 ? "" : ",").append(user);
      included++;
    }
    int left = users.size() - included + more;
    if (left > 0) {
      list.append(included == 0 ? "+" : ",+").append(left);
    }
    return list.toString();
  }

  private static String inbox(InboxPage page) {
    String head = framed(page.seq(), "OK INBOX");
    int budget = ClientCodec.MAX_DATAGRAM_BYTES - bytes(head) - RESERVE;
    StringBuilder body = new StringBuilder();
    int included = 0;
    for (InboxEntry entry : page.entries()) {
      String item =
          " "
              + entry.id()
              + "/"
              + entry.from()
              + "/"
              + time(entry.time())
              + "/"
              + (entry.read() ? "R" : "N");
      if (body.length() + item.length() > budget) {
        break;
      }
      body.append(item);
      included++;
    }
    if (included == 0) {
      body.append(" -");
    }
    if (page.more() || included < page.entries().size()) {
      body.append(" +");
    }
    return head + body;
  }

  private static int bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }
}
