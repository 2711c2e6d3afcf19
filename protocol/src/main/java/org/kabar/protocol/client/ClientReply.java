package org.kabar.protocol.client;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the server sends a client: replies to requests (carrying the request's sequence number) and
 * pushes (messages, presence changes), encoded by {@link ClientCodec#encode}.
 */
public sealed interface ClientReply {

  /** The sequence number of the request this answers; 0 for pushes and unframed replies. */
  default long seq() {
    return 0;
  }

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
   * {@code K1 <seq> OK AUTH <nonce> <node-key> scram <salt> <iterations>}, or {@code K1 <seq> OK
   * AUTH <nonce> <node-key> directory}: the server's answer to {@code AUTH}.
   *
   * @param nonce the client's nonce followed by the server's
   * @param nodeKey the server's X25519 public key (base64) to seal secrets for
   * @param salt the account's salt (base64) for a {@link Mode#SCRAM} proof, else null
   * @param iterations the PBKDF2 iterations of that salt, else 0
   */
  record AuthChallenge(
      long seq, String nonce, String nodeKey, Mode mode, String salt, int iterations)
      implements ClientReply {
    public AuthChallenge {
      Objects.requireNonNull(nonce, "nonce");
      Objects.requireNonNull(nodeKey, "nodeKey");
      Objects.requireNonNull(mode, "mode");
      if (mode == Mode.SCRAM) {
        Objects.requireNonNull(salt, "salt");
      }
    }

    /** How the client proves it knows the password. */
    public enum Mode {
      /** With a SCRAM-SHA-256 proof: the server holds the account's keys. */
      SCRAM,
      /** With the password sealed for the node key: the directory checks it. */
      DIRECTORY
    }
  }

  /**
   * {@code K1 <seq> OK LOGIN <token> <server-signature> <users>}: the session's token, the server's
   * proof that it holds the account's keys (or opened the sealed password), and who is online
   * (S2.5).
   *
   * @param more how many online users did not fit in the datagram
   */
  record LoggedIn(long seq, String token, String serverSignature, List<String> online, int more)
      implements ClientReply {
    public LoggedIn {
      Objects.requireNonNull(serverSignature, "serverSignature");
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

  /**
   * {@code K1 * CHECK <challenge>}: a request with this session's token came from an address the
   * server has not seen it at. Until the client answers {@code CHECK <challenge>} from there, the
   * server sends that address nothing larger than what it received from it, and pushes go on to the
   * old address.
   */
  record AddressCheck(String challenge) implements ClientReply {
    public AddressCheck {
      Objects.requireNonNull(challenge);
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
