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

  /** {@code REGISTER <user> <password>}: create an account (S1.1). */
  record Register(String username, String password) implements Command {
    public Register {
      Objects.requireNonNull(username);
      Objects.requireNonNull(password);
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
      return "Register[" + username + "]"; // never the password
    }
  }

  /** {@code LOGIN <user> <password>}: start a session (S1.1). */
  record Login(String username, String password) implements Command {
    public Login {
      Objects.requireNonNull(username);
      Objects.requireNonNull(password);
    }

    @Override
    public String verb() {
      return "LOGIN";
    }

    @Override
    public boolean anonymous() {
      return true;
    }

    @Override
    public String toString() {
      return "Login[" + username + "]";
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

  /** {@code UNREGISTER <password>}: remove the account, its sessions and its inbox (S1.7). */
  record Unregister(String password) implements Command {
    public Unregister {
      Objects.requireNonNull(password);
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
