package org.kabar.client;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.kabar.protocol.client.ClientReply;
import org.kabar.protocol.client.ClientReply.Delivery;
import org.kabar.protocol.client.ClientReply.InboxEntry;
import org.kabar.protocol.client.ClientReply.LoggedIn;
import org.kabar.protocol.client.ClientReply.MessageText;
import org.kabar.protocol.client.ClientReply.OnlineUsers;
import org.kabar.protocol.client.ClientReply.SessionEnded;
import org.kabar.protocol.client.Command;

/** The interactive chat: a prompt, commands, and messages shown as they arrive. */
final class Chat {

  private static final String HELP =
      """
      Commands:
        @USER TEXT     send TEXT to USER (and make USER the current recipient)
        TEXT           send TEXT to the current recipient
        /all TEXT      send TEXT to everyone online
        #CHANNEL TEXT  send TEXT to a channel's members
        /create #C, /join #C, /leave #C, /members #C, /invite #C USER, /kick #C USER
        /list          who is online
        /inbox         your inbox (id, from, time, read or new)
        /read ID       show one message
        /delete ID     delete one message
        /quit          log out and leave (Ctrl-D too)""";

  private final Options options;
  private final PrintStream out;
  private final PrintStream err;
  private String recipient;

  Chat(Options options, PrintStream out, PrintStream err) {
    this.options = options;
    this.out = out;
    this.err = err;
  }

  int run() {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    ScheduledExecutorService keepAlive = Executors.newSingleThreadScheduledExecutor();
    try (MessengerClient client =
        new MessengerClient(
            Servers.parseAll(options.servers()), options.backoff(), this::show, true)) {
      String user = options.user() != null ? options.user() : ask(in, "user: ");
      String password = options.password() != null ? options.password() : secret(in);
      if (user == null || password == null) {
        return Messenger.USAGE;
      }
      LoggedIn session = client.login(user, password);
      out.println(
          "logged in as "
              + user
              + " at "
              + MessengerClient.describe(client.server())
              + "; online: "
              + String.join(", ", session.online())
              + (session.more() > 0 ? " and " + session.more() + " more" : ""));
      out.println("type /help for commands");
      long interval = options.aliveSeconds();
      keepAlive.scheduleWithFixedDelay(() -> ping(client), interval, interval, TimeUnit.SECONDS);
      boolean terminal = System.console() != null;
      String line;
      prompt(terminal);
      while ((line = in.readLine()) != null) {
        if (!handle(client, line.strip())) {
          break;
        }
        prompt(terminal);
      }
      client.logout();
      return Messenger.OK;
    } catch (RefusedException refused) {
      err.println("messenger: refused: " + refused.getMessage());
      return Messenger.REFUSED;
    } catch (IOException e) {
      err.println("messenger: " + e.getMessage());
      return Messenger.NO_ANSWER;
    } finally {
      keepAlive.shutdownNow();
    }
  }

  /** Serves one typed line; false to leave. */
  private boolean handle(MessengerClient client, String line) {
    if (!client.loggedIn()) {
      out.println("the session has ended; bye");
      return false;
    }
    try {
      if (line.isEmpty()) {
        return true;
      } else if (line.equals("/quit")) {
        return false;
      } else if (line.equals("/help")) {
        out.println(HELP);
      } else if (line.equals("/list")) {
        out.println("online: " + String.join(", ", client.online()));
      } else if (line.equals("/inbox")) {
        for (InboxEntry e : client.inbox()) {
          out.println(e.id() + "  " + e.from() + "  " + e.time() + (e.read() ? "" : "  new"));
        }
      } else if (line.startsWith("/read ")) {
        MessageText m = client.read(Long.parseLong(line.substring(6).strip()));
        out.println("[" + m.time() + "] " + m.from() + ": " + m.text());
      } else if (line.startsWith("/delete ")) {
        client.delete(Long.parseLong(line.substring(8).strip()));
        out.println("deleted");
      } else if (line.startsWith("/all ")) {
        client.send("all", line.substring(5));
      } else if (line.startsWith("#") && line.contains(" ")) {
        client.send(line.substring(0, line.indexOf(' ')), line.substring(line.indexOf(' ') + 1));
      } else if (line.startsWith("/members ")) {
        out.println("members: " + String.join(", ", client.members(line.substring(9).strip())));
      } else if (channelCommand(client, line)) {
        out.println("ok");
      } else if (line.startsWith("@") && line.contains(" ")) {
        recipient = line.substring(1, line.indexOf(' '));
        client.send(recipient, line.substring(line.indexOf(' ') + 1));
      } else if (line.startsWith("/")) {
        out.println("unknown command; type /help");
      } else if (recipient == null) {
        out.println("to whom? start with @USER");
      } else {
        client.send(recipient, line);
      }
    } catch (RefusedException refused) {
      out.println("refused: " + refused.getMessage());
    } catch (NumberFormatException e) {
      out.println("a message id is a number");
    } catch (IOException e) {
      out.println("no answer: " + e.getMessage());
    }
    return true;
  }

  /** /create, /join, /leave, /invite, /kick; false if the line is none of them. */
  private static boolean channelCommand(MessengerClient client, String line)
      throws IOException, RefusedException {
    String[] words = line.split(" ");
    if (words.length < 2) {
      return false;
    }
    Command command =
        switch (words[0]) {
          case "/create" -> new Command.CreateChannel(words[1]);
          case "/join" -> new Command.Join(words[1]);
          case "/leave" -> new Command.Leave(words[1]);
          case "/invite" -> words.length > 2 ? new Command.Invite(words[1], words[2]) : null;
          case "/kick" -> words.length > 2 ? new Command.Kick(words[1], words[2]) : null;
          default -> null;
        };
    if (command == null) {
      return false;
    }
    client.request(command);
    return true;
  }

  /** A prompt for a person at a terminal; none when the input is a file or a pipe. */
  private void prompt(boolean terminal) {
    if (terminal) {
      out.print("> ");
      out.flush();
    }
  }

  private void ping(MessengerClient client) {
    if (!client.loggedIn()) {
      return; // ended by the server: nothing to keep alive
    }
    try {
      if (!client.keepAlive()) {
        out.println("server did not answer; now at " + MessengerClient.describe(client.server()));
      }
    } catch (IOException | RefusedException e) {
      out.println("no server answers: " + e.getMessage());
    }
  }

  private void show(ClientReply push) {
    if (push instanceof Delivery d) {
      String to = d.to().equals("all") ? " (to all)" : "";
      out.println("[" + d.time() + "] " + d.from() + to + ": " + d.text());
    } else if (push instanceof OnlineUsers o) {
      out.println("online: " + String.join(", ", o.users()));
    } else if (push instanceof SessionEnded s) {
      out.println("the server ended this session: " + s.reason() + " (press Enter to leave)");
    } else if (push instanceof ClientReply.Moved m) {
      out.println("your server went down; now served by " + m.server());
    }
  }

  private String ask(BufferedReader in, String prompt) {
    out.print(prompt);
    out.flush();
    try {
      String line = in.readLine();
      return line == null ? null : line.strip();
    } catch (IOException e) {
      return null;
    }
  }

  private String secret(BufferedReader in) {
    Console console = System.console();
    if (console != null) {
      char[] typed = console.readPassword("password: ");
      return typed == null ? null : new String(typed);
    }
    return ask(in, "password: ");
  }
}
