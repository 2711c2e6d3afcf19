package org.kabar.protocol.client;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
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

/** Reads replies and pushes on the client side. */
final class ReplyDecoder {

  private ReplyDecoder() {}

  static ClientReply decode(String line) {
    try {
      return parse(line);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a reply: " + line, e);
    }
  }

  private static ClientReply parse(String line) {
    if (line.equals("yes")) {
      return new Alive();
    }
    if (line.startsWith("ERR ")) {
      return error(0, line.substring(4));
    }
    String[] parts = line.split(" ", 3);
    if (!parts[0].equals(ClientCodec.VERSION) || parts.length < 3) {
      throw new IllegalArgumentException("unknown form");
    }
    String marker = parts[1];
    String body = parts[2];
    if (marker.equals("*")) {
      return broadcast(body);
    }
    if (marker.startsWith("!")) {
      return delivery(Long.parseLong(marker.substring(1)), body);
    }
    long seq = Long.parseLong(marker);
    if (body.startsWith("ERR ")) {
      return error(seq, body.substring(4));
    }
    if (!body.startsWith("OK ")) {
      throw new IllegalArgumentException("neither OK nor ERR");
    }
    return ok(seq, body.substring(3));
  }

  private static ClientReply ok(long seq, String body) {
    String[] parts = body.split(" ", 2);
    String rest = parts.length > 1 ? parts[1] : "";
    switch (parts[0]) {
      case "AUTH":
        return challenge(seq, rest);
      case "LOGIN":
        {
          String[] f = rest.split(" ", 3);
          if (f.length != 3 || !Names.token(f[0]) || !Names.base64(f[1], 64)) {
            throw new IllegalArgumentException("bad LOGIN reply");
          }
          Users users = users(f[2]);
          return new LoggedIn(seq, f[0], f[1], users.names, users.more);
        }
      case "LIST":
        {
          Users users = users(rest);
          return new UserList(seq, users.names, users.more);
        }
      case "INBOX":
        return inbox(seq, rest);
      case "MEMBERS":
        {
          String[] channelAndUsers = rest.split(" ", 2);
          Users users = users(channelAndUsers[1]);
          return new ChannelMembers(seq, channelAndUsers[0], users.names, users.more);
        }
      case "READ":
        {
          String[] f = rest.split(" ", 5);
          return new MessageText(seq, Long.parseLong(f[0]), f[1], f[2], instant(f[3]), f[4]);
        }
      case "SEND":
        return new Sent(seq, Long.parseLong(rest));
      default:
        return new Done(seq, parts[0]);
    }
  }

  private static ClientReply error(long seq, String body) {
    String[] parts = body.split(" ", 2);
    ErrorCode code = ErrorCode.of(Integer.parseInt(parts[0]));
    if (code == null) {
      throw new IllegalArgumentException("unknown error code " + parts[0]);
    }
    String text = parts.length > 1 ? parts[1] : code.text();
    if (code == ErrorCode.FULL && text.startsWith("full")) {
      String servers = text.length() > 5 ? text.substring(5) : "-";
      return new Full(seq, servers.equals("-") ? List.of() : List.of(servers.split(",")));
    }
    return new ErrorReply(seq, code, text);
  }

  private static ClientReply broadcast(String body) {
    String[] parts = body.split(" ", 2);
    String rest = parts.length > 1 ? parts[1] : "";
    switch (parts[0]) {
      case "ONLINE":
        Users users = users(rest);
        return new OnlineUsers(users.names, users.more);
      case "CHECK":
        if (!Names.challenge(rest)) {
          throw new IllegalArgumentException("bad CHECK push");
        }
        return new ClientReply.AddressCheck(rest);
      case "BYE":
        return new SessionEnded(rest);
      case "MOVED":
        {
          String[] f = rest.split(" ", -1);
          if (f.length != 2 || !f[0].matches("[A-Za-z0-9.:\\[\\]-]{1,100}:[0-9]{1,5}")) {
            throw new IllegalArgumentException("bad MOVED push");
          }
          return new ClientReply.Moved(f[0], f[1]);
        }
      default:
        throw new IllegalArgumentException("unknown push " + parts[0]);
    }
  }

  private static ClientReply challenge(long seq, String rest) {
    String[] f = rest.split(" ", -1);
    if (f.length < 3 || !Names.nonce(f[0]) || !Names.base64(f[1], 64)) {
      throw new IllegalArgumentException("bad AUTH reply");
    }
    if (f.length == 3 && f[2].equals("directory")) {
      return new ClientReply.AuthChallenge(
          seq, f[0], f[1], ClientReply.AuthChallenge.Mode.DIRECTORY, null, 0);
    }
    if (f.length != 5 || !f[2].equals("scram") || !Names.base64(f[3], 128)) {
      throw new IllegalArgumentException("bad AUTH reply");
    }
    return new ClientReply.AuthChallenge(
        seq, f[0], f[1], ClientReply.AuthChallenge.Mode.SCRAM, f[3], Integer.parseInt(f[4]));
  }

  private static ClientReply delivery(long id, String body) {
    String[] f = body.split(" ", 5);
    if (!f[0].equals("MSG")) {
      throw new IllegalArgumentException("unknown push " + f[0]);
    }
    return new Delivery(id, f[1], f[2], instant(f[3]), f[4]);
  }

  private static ClientReply inbox(long seq, String rest) {
    List<InboxEntry> entries = new ArrayList<>();
    boolean more = false;
    for (String item : rest.split(" ")) {
      if (item.equals("+")) {
        more = true;
      } else if (!item.equals("-") && !item.isEmpty()) {
        String[] f = item.split("/", 4);
        entries.add(new InboxEntry(Long.parseLong(f[0]), f[1], instant(f[2]), f[3].equals("R")));
      }
    }
    return new InboxPage(seq, entries, more);
  }

  private record Users(List<String> names, int more) {}

  private static Users users(String list) {
    List<String> names = new ArrayList<>();
    int more = 0;
    if (!list.equals("-")) {
      for (String name : list.split(",")) {
        if (name.startsWith("+")) {
          more = Integer.parseInt(name.substring(1));
        } else {
          names.add(name);
        }
      }
    }
    return new Users(names, more);
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("bad time " + text, e);
    }
  }
}
