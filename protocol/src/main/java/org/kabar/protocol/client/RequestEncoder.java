package org.kabar.protocol.client;

/** Writes requests in their framed text form, as a client sends them. */
final class RequestEncoder {

  private RequestEncoder() {}

  static String text(Request request) {
    StringBuilder text = new StringBuilder(ClientCodec.VERSION).append(' ').append(request.seq());
    if (request.token() != null) {
      text.append(" ~").append(request.token());
    }
    text.append(' ').append(request.command().verb());
    String args = arguments(request.command());
    if (!args.isEmpty()) {
      text.append(' ').append(args);
    }
    if (request.command().anonymous()) {
      pad(text);
    }
    return text.toString();
  }

  /**
   * Pads a request sent before the client has a session to the largest datagram, so that the server
   * may answer it in full without ever sending more than it received.
   */
  private static void pad(StringBuilder text) {
    int room =
        ClientCodec.MAX_DATAGRAM_BYTES
            - 1 // the newline
            - text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
            - 1; // the space before the padding
    if (room > 0) {
      text.append(' ').append(".".repeat(room));
    }
  }

  private static String arguments(Command command) {
    if (command instanceof Command.Auth a) {
      return a.username() + " " + a.clientNonce();
    } else if (command instanceof Command.Prove p) {
      return p.nonce() + " " + p.proof();
    } else if (command instanceof Command.Register r) {
      return r.nonce() + " " + r.sealed();
    } else if (command instanceof Command.Check c) {
      return c.challenge();
    } else if (command instanceof Command.Inbox i) {
      return i.afterId() == 0 ? "" : String.valueOf(i.afterId());
    } else if (command instanceof Command.Read r) {
      return String.valueOf(r.messageId());
    } else if (command instanceof Command.Send s) {
      return s.to() + " " + s.text();
    } else if (command instanceof Command.Delete d) {
      return String.valueOf(d.messageId());
    } else if (command instanceof Command.Ack a) {
      return String.valueOf(a.messageId());
    } else if (command instanceof Command.Unregister u) {
      return u.proof();
    } else if (command instanceof Command.CreateChannel c) {
      return c.channel();
    } else if (command instanceof Command.Join j) {
      return j.channel();
    } else if (command instanceof Command.Leave l) {
      return l.channel();
    } else if (command instanceof Command.Members m) {
      return m.channel();
    } else if (command instanceof Command.Invite i) {
      return i.channel() + " " + i.username();
    } else if (command instanceof Command.Kick k) {
      return k.channel() + " " + k.username();
    }
    return ""; // LIST, LIVE, LOGOUT
  }
}
