package org.kabar.protocol.client;

import java.util.Objects;

/** The commands of the client protocol (seed S1), each with its already-validated arguments. */
public sealed interface Command {

  /** The command's word on the wire. */
  String verb();

  /** Whether the command may be sent without a session token. */
  default boolean anonymous() {
    return false;
  }

  /**
   * {@code AUTH <user> <client-nonce>}: the first step of a login or a registration. The server
   * answers with the combined nonce, its public key and how to prove the password (see {@link
   * ClientReply.AuthChallenge}); the password itself is never sent.
   */
  record Auth(String username, String clientNonce) implements Command {
    public Auth {
      Objects.requireNonNull(username);
      Objects.requireNonNull(clientNonce);
    }

    @Override
    public String verb() {
      return "AUTH";
    }

    @Override
    public boolean anonymous() {
      return true;
    }
  }

  /**
   * {@code PROVE <nonce> <proof>}: the second step of a login (S1.1). The proof is the SCRAM client
   * proof (base64), or for directory accounts the password sealed for the server's key.
   */
  record Prove(String nonce, String proof) implements Command {
    public Prove {
      Objects.requireNonNull(nonce);
      Objects.requireNonNull(proof);
    }

    @Override
    public String verb() {
      return "PROVE";
    }

    @Override
    public boolean anonymous() {
      return true;
    }

    @Override
    public String toString() {
      return "Prove[" + nonce + "]"; // never the proof
    }
  }

  /**
   * {@code REGISTER <nonce> <sealed>}: create the account named in the {@code AUTH} that gave the
   * nonce (S1.1). {@code sealed} holds, sealed for the server's key, the new account's SCRAM keys
   * ({@code <salt> <iterations> <stored-key> <server-key>}), or for directory accounts the
   * password.
   */
  record Register(String nonce, String sealed) implements Command {
    public Register {
      Objects.requireNonNull(nonce);
      Objects.requireNonNull(sealed);
    }

    @Override
    public String verb() {
      return "REGISTER";
    }

    @Override
    public boolean anonymous() {
      return true;
    }

    @Override
    public String toString() {
      return "Register[" + nonce + "]";
    }
  }

  /**
   * {@code CHECK <challenge>}: the client answers a {@code CHECK} push from the address it now
   * sends from, so that the server may send there (see {@link ClientReply.AddressCheck}).
   */
  record Check(String challenge) implements Command {
    public Check {
      Objects.requireNonNull(challenge);
    }

    @Override
    public String verb() {
      return "CHECK";
    }
  }

  /** {@code LIST}: the users online now (S1.2). */
  record ListUsers() implements Command {
    @Override
    public String verb() {
      return "LIST";
    }
  }

  /** {@code INBOX [<after-id>]}: one page of the inbox, oldest first, after a message id (S1.3). */
  record Inbox(long afterId) implements Command {
    @Override
    public String verb() {
      return "INBOX";
    }
  }

  /** {@code READ <id>}: one message of the inbox (S1.4). */
  record Read(long messageId) implements Command {
    @Override
    public String verb() {
      return "READ";
    }
  }

  /** {@code SEND <user|all> <text>}: a message to one user or to everyone online (S1.5). */
  record Send(String to, String text) implements Command {
    public Send {
      Objects.requireNonNull(to);
      Objects.requireNonNull(text);
    }

    @Override
    public String verb() {
      return "SEND";
    }
  }

  /** {@code DELETE <id>}: remove a message from the inbox (S1.6). */
  record Delete(long messageId) implements Command {
    @Override
    public String verb() {
      return "DELETE";
    }
  }

  /** {@code ACK <id>}: the client received a pushed message; it is now delivered. */
  record Ack(long messageId) implements Command {
    @Override
    public String verb() {
      return "ACK";
    }
  }

  /** {@code LIVE}: keep-alive within a session. */
  record Live() implements Command {
    @Override
    public String verb() {
      return "LIVE";
    }
  }

  /** {@code LOGOUT}: end the session (S1.7). */
  record Logout() implements Command {
    @Override
    public String verb() {
      return "LOGOUT";
    }
  }

  /**
   * {@code UNREGISTER <proof>}: remove the account, its sessions and its inbox (S1.7). The proof
   * shows the password is known without sending it: a SCRAM proof over the session's token, or for
   * directory accounts the password sealed for the server's key.
   */
  record Unregister(String proof) implements Command {
    public Unregister {
      Objects.requireNonNull(proof);
    }

    @Override
    public String verb() {
      return "UNREGISTER";
    }

    @Override
    public String toString() {
      return "Unregister[]";
    }
  }

  /** {@code CREATE #channel}: a new channel, with its creator as first member. */
  record CreateChannel(String channel) implements Command {
    @Override
    public String verb() {
      return "CREATE";
    }
  }

  /** {@code INVITE #channel <user>}: allow a user to join (members may invite). */
  record Invite(String channel, String username) implements Command {
    @Override
    public String verb() {
      return "INVITE";
    }
  }

  /** {@code JOIN #channel}: become a member of a channel one was invited to. */
  record Join(String channel) implements Command {
    @Override
    public String verb() {
      return "JOIN";
    }
  }

  /** {@code LEAVE #channel}: stop being a member. */
  record Leave(String channel) implements Command {
    @Override
    public String verb() {
      return "LEAVE";
    }
  }

  /** {@code MEMBERS #channel}: who the members are. */
  record Members(String channel) implements Command {
    @Override
    public String verb() {
      return "MEMBERS";
    }
  }

  /** {@code KICK #channel <user>}: the creator removes a member. */
  record Kick(String channel, String username) implements Command {
    @Override
    public String verb() {
      return "KICK";
    }
  }
}
