package org.kabar.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The command line: global options, the subcommand and its arguments. */
record Options(
    List<String> servers,
    String user,
    String password,
    String subcommand,
    String to,
    int count,
    int seconds,
    int retries,
    int aliveSeconds,
    List<String> arguments) {

  /**
   * The keep-alive interval (seed S3.7 checks the server every minute): 20 s, below the 30 s after
   * which many NAT gateways forget a UDP binding, so pushes keep reaching the client.
   */
  static final int DEFAULT_ALIVE_SECONDS = 20;

  /** Thrown for a command line that cannot be understood. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** The retransmission timing the options ask for. */
  Backoff backoff() {
    return new Backoff(Backoff.DEFAULT.firstMillis(), retries);
  }

  static Options parse(String[] args, Map<String, String> env) throws UsageException {
    List<String> servers = new ArrayList<>();
    String user = null;
    String password = env.get("MESSENGER_PASSWORD");
    String subcommand = null;
    String to = null;
    int count = 0;
    int seconds = 0;
    int retries = Backoff.DEFAULT.retries();
    int alive = DEFAULT_ALIVE_SECONDS;
    List<String> arguments = new ArrayList<>();
    for (String arg : args) {
      if (arg.equals("--help") || arg.equals("-h")) {
        subcommand = "help"; // anywhere, whatever else the line holds
      }
    }
    for (int i = 0; i < args.length && !"help".equals(subcommand); i++) {
      String arg = args[i];
      switch (arg) {
        case "--server" -> servers.add(value(args, ++i, arg));
        case "--user" -> user = value(args, ++i, arg);
        case "--password" -> password = value(args, ++i, arg);
        case "--to" -> to = value(args, ++i, arg);
        case "--count" -> count = number(value(args, ++i, arg), arg);
        case "--seconds" -> seconds = number(value(args, ++i, arg), arg);
        case "--retries" -> retries = number(value(args, ++i, arg), arg);
        case "--alive" -> {
          alive = number(value(args, ++i, arg), arg);
          if (alive < 1) {
            throw new UsageException("--alive needs at least 1 second");
          }
        }
        default -> {
          if (arg.startsWith("--")) {
            throw new UsageException("unknown option " + arg);
          }
          if (subcommand == null) {
            subcommand = arg;
          } else {
            arguments.add(arg);
          }
        }
      }
    }
    if (servers.isEmpty()) {
      servers.add("127.0.0.1:4999");
    }
    return new Options(
        servers,
        user,
        password,
        subcommand,
        to,
        count,
        seconds,
        retries,
        alive,
        List.copyOf(arguments));
  }

  private static String value(String[] args, int index, String option) throws UsageException {
    if (index >= args.length) {
      throw new UsageException(option + " needs a value");
    }
    return args[index];
  }

  private static int number(String text, String option) throws UsageException {
    try {
      int value = Integer.parseInt(text);
      if (value < 0) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new UsageException(option + " needs a non-negative number");
    }
  }
}
