package org.kabar.protocol.client;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the server sends a client: replies to requests (carrying the request's sequence number) and
 * pushes (messages, presence changes), encoded by {@link ClientCodec#encode}.
 */
public sealed interface ClientReply {

  /** {@code yes}: the answer to the unframed {@code /@live?}. */
  record Alive() implements ClientReply {}

  /**
   * {@code K1 <seq> ERR <code> <text>}, or {@code ERR <code> <text>} for an unframed datagram (seq
   * 0).
   */
  record ErrorReply(long seq, ErrorCode code, String text) implements ClientReply {
    public ErrorReply {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(text, "text");
    }

    /** An error with the code's own text. */
    public static ErrorReply of(long seq, ErrorCode code) {
      return new ErrorReply(seq, code, code.text());
    }
  }

  /** {@code K1 <seq> OK <VERB>}: a command without a result succeeded. */
  record Done(long seq, String verb) implements ClientReply {}

  /**
   * {@code K1 <seq> OK LOGIN <token> <users>}: the session's token and who is online (S2.5).
   *
   * @param more how many online users did not fit in the datagram
   */
  record LoggedIn(long seq, String token, List<String> online, int more) implements ClientReply {
    public LoggedIn {
      online = List.copyOf(online);
    }
  }

  /** {@code K1 <seq> OK MEMBERS <#channel> <users>}: a channel's members. */
  record ChannelMembers(long seq, String channel, List<String> users, int more)
      implements ClientReply {
    public ChannelMembers {
      users = List.copyOf(users);
    }
  }

  /** {@code K1 <seq> OK LIST <users>}: who is online (S1.2). */
  record UserList(long seq, List<String> users, int more) implements ClientReply {
    public UserList {
      users = List.copyOf(users);
    }
  }

  /**
   * {@code K1 <seq> OK INBOX <entries> [+]}: a page of the inbox, oldest first.
   *
   * @param more true if later messages exist: ask again after the last id
   */
  record InboxPage(long seq, List<InboxEntry> entries, boolean more) implements ClientReply {
    public InboxPage {
      entries = List.copyOf(entries);
    }
  }

  /** {@code K1 <seq> OK READ <id> <from> <to> <time> <text>}: one message (S1.4). */
  record MessageText(long seq, long id, String from, String to, Instant time, String text)
      implements ClientReply {}

  /** {@code K1 <seq> OK SEND <id>}: the message is stored; its id. */
  record Sent(long seq, long id) implements ClientReply {}

  /**
   * {@code K1 <seq> ERR 503 full <servers>}: this server is at its quota; try these (S3.5).
   *
   * @param servers other servers, {@code host:port}, best first
   */
  record Full(long seq, List<String> servers) implements ClientReply {
    public Full {
      servers = List.copyOf(servers);
    }
  }

  /**
   * {@code K1 !<id> MSG <from> <to> <time> <text>}: a pushed message; the client must answer {@code
   * ACK <id>}, or it is sent again.
   */
  record Delivery(long id, String from, String to, Instant time, String text)
      implements ClientReply {}

  /** {@code K1 * ONLINE <users>}: who is online changed (S2.5). */
  record OnlineUsers(List<String> users, int more) implements ClientReply {
    public OnlineUsers {
      users = List.copyOf(users);
    }
  }

  /** {@code K1 * BYE <reason>}: the server ended this session. */
  record SessionEnded(String reason) implements ClientReply {}

  /**
   * {@code K1 * MOVED <host:port> <proof>}: the client's server died and the server at {@code
   * host:port} took the session over (seed S3.6); the client sends there from now on, with the same
   * token. The proof ({@link SessionProofs#moveProof}) shows the sender holds the session.
   */
  record Moved(String server, String proof) implements ClientReply {
    public Moved {
      Objects.requireNonNull(server);
      Objects.requireNonNull(proof);
    }
  }

  /** One line of an inbox page. */
  record InboxEntry(long id, String from, Instant time, boolean read) {}
}
