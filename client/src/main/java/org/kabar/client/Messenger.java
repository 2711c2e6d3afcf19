package org.kabar.client;

import java.io.IOException;
import java.io.PrintStream;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.kabar.protocol.client.ClientReply;
import org.kabar.protocol.client.ClientReply.Delivery;
import org.kabar.protocol.client.ClientReply.InboxEntry;
import org.kabar.protocol.client.ClientReply.MessageText;
import org.kabar.protocol.client.Command;

/**
 * The {@code messenger} command: without a subcommand an interactive chat, otherwise one operation
 * for scripts. Exit status 0 only when the server confirmed the operation.
 */
public final class Messenger {

  static final int OK = 0;
  static final int REFUSED = 1;
  static final int USAGE = 2;
  static final int NO_ANSWER = 3;

  private static final String USAGE_TEXT =
      """
      Usage: messenger [--server HOST:PORT]... [--user NAME] [--password SECRET] [COMMAND]
             messenger --help | -h

      Without a command: an interactive chat (type /help there).
      Commands:
        register              create the account --user with the password; prints
                              "registered NAME"
        send --to USER|all|#CHANNEL TEXT...
                              send a message
        channel create|join|leave|members #CHANNEL
        channel invite|kick #CHANNEL USER
                              manage a channel (members get what is sent to it)
        inbox                 print the inbox: id<TAB>from<TAB>time<TAB>text, oldest first
        read ID               print one message
        delete ID             delete one message
        list                  print who is online, one name a line
        unregister            remove the account, its sessions and its messages
        listen [--count N] [--seconds S]
                              print messages as they arrive: id<TAB>from<TAB>to<TAB>time<TAB>text,
                              until N have come or S seconds have passed (without either, until
                              stopped)
      The password may come from the environment variable MESSENGER_PASSWORD instead.
      --server may be repeated: the list to fail over through (default 127.0.0.1:4999).
      --retries N: retransmissions of a request before giving up on a server (default 2).
      --alive S: in a chat, check every S seconds that the server answers (LIVE) and
        move to the next --server with the same session when it is not (default 20).
      """;

  /** How long {@code listen} lasts without {@code --seconds}: until it is stopped. */
  private static final long FOREVER_SECONDS = TimeUnit.DAYS.toSeconds(365L * 100);

  private Messenger() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Options options;
    try {
      options = Options.parse(args, System.getenv());
      if ("help".equals(options.subcommand())) {
        out.print(USAGE_TEXT);
        return OK;
      }
      if (options.subcommand() == null) {
        return new Chat(options, out, err).run();
      }
      return oneShot(options, out, err);
    } catch (Options.UsageException | IllegalArgumentException e) {
      err.println("messenger: " + e.getMessage());
      err.print(USAGE_TEXT);
      return USAGE;
    }
  }

  private static int oneShot(Options options, PrintStream out, PrintStream err)
      throws Options.UsageException {
    String user = required(options.user(), "--user");
    String password = required(options.password(), "--password or MESSENGER_PASSWORD");
    boolean listening = options.subcommand().equals("listen");
    AtomicInteger received = new AtomicInteger();
    // listen stops after --count messages or --seconds, whichever comes first; with neither it
    // listens until it is stopped
    CountDownLatch enough =
        new CountDownLatch(options.count() > 0 ? options.count() : Integer.MAX_VALUE);
    Consumer<ClientReply> pushes =
        push -> {
          if (push instanceof Delivery d && listening) {
            out.println(
                d.id() + "\t" + d.from() + "\t" + d.to() + "\t" + d.time() + "\t" + d.text());
            out.flush();
            received.incrementAndGet();
            enough.countDown();
          }
        };
    try (MessengerClient client =
        new MessengerClient(
            Servers.parseAll(options.servers()), options.backoff(), pushes, listening)) {
      switch (options.subcommand()) {
        case "register" -> {
          client.register(user, password);
          out.println("registered " + user);
        }
        case "unregister" -> {
          client.login(user, password);
          client.unregister(password);
        }
        default -> {
          client.login(user, password);
          operate(client, options, out, enough);
          client.logout();
        }
      }
      return OK;
    } catch (RefusedException refused) {
      err.println("messenger: refused: " + refused.getMessage());
      return REFUSED;
    } catch (NoAnswerException silent) {
      err.println("messenger: " + silent.getMessage());
      return NO_ANSWER;
    } catch (SocketException e) {
      err.println("messenger: " + e.getMessage());
      return NO_ANSWER;
    } catch (IOException e) {
      err.println("messenger: " + e.getMessage());
      return NO_ANSWER;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return NO_ANSWER;
    }
  }

  private static void operate(
      MessengerClient client, Options options, PrintStream out, CountDownLatch enough)
      throws IOException, RefusedException, InterruptedException, Options.UsageException {
    switch (options.subcommand()) {
      case "send" -> {
        String to = required(options.to(), "--to");
        if (options.arguments().isEmpty()) {
          throw new Options.UsageException("send needs a text");
        }
        out.println(client.send(to, String.join(" ", options.arguments())));
      }
      case "inbox" -> {
        for (InboxEntry entry : client.inbox()) {
          MessageText message = client.read(entry.id());
          out.println(
              entry.id() + "\t" + entry.from() + "\t" + entry.time() + "\t" + message.text());
        }
      }
      case "read" -> {
        MessageText m = client.read(id(options));
        out.println(m.id() + "\t" + m.from() + "\t" + m.time() + "\t" + m.text());
      }
      case "delete" -> client.delete(id(options));
      case "list" -> client.online().forEach(out::println);
      case "channel" -> channel(client, options.arguments(), out);
      case "listen" -> {
        long seconds = options.seconds() > 0 ? options.seconds() : FOREVER_SECONDS;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (long left = deadline - System.nanoTime();
            enough.getCount() > 0 && left > 0;
            left = deadline - System.nanoTime()) {
          long alive = TimeUnit.SECONDS.toNanos(options.aliveSeconds());
          if (!enough.await(Math.min(alive, left), TimeUnit.NANOSECONDS)
              && deadline - System.nanoTime() > 0) {
            client.keepAlive(); // nothing for a while: the session and its NAT binding stay alive
          }
        }
      }
      default -> throw new Options.UsageException("unknown command " + options.subcommand());
    }
  }

  private static void channel(MessengerClient client, List<String> args, PrintStream out)
      throws IOException, RefusedException, Options.UsageException {
    if (args.size() < 2) {
      throw new Options.UsageException("channel needs an action and a #channel");
    }
    String action = args.get(0);
    String channel = args.get(1);
    String user = args.size() > 2 ? args.get(2) : null;
    switch (action) {
      case "create" -> client.request(new Command.CreateChannel(channel));
      case "join" -> client.request(new Command.Join(channel));
      case "leave" -> client.request(new Command.Leave(channel));
      case "members" -> client.members(channel).forEach(out::println);
      case "invite" -> client.request(new Command.Invite(channel, required(user, "a user")));
      case "kick" -> client.request(new Command.Kick(channel, required(user, "a user")));
      default -> throw new Options.UsageException("unknown channel action " + action);
    }
  }

  private static long id(Options options) throws Options.UsageException {
    List<String> args = options.arguments();
    if (args.size() != 1 || !args.get(0).matches("[0-9]{1,18}")) {
      throw new Options.UsageException("a message id is needed");
    }
    return Long.parseLong(args.get(0));
  }

  static String required(String value, String what) throws Options.UsageException {
    if (value == null || value.isEmpty()) {
      throw new Options.UsageException(what + " is needed");
    }
    return value;
  }
}
