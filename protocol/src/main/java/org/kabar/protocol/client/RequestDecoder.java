package org.kabar.protocol.client;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Decodes the framed form {@code K1 <seq> [~<token>] <VERB> [arguments]} into a {@link Request}.
 */
final class RequestDecoder {

  private RequestDecoder() {}

  /** Where the server's replies are larger than the bare request, it may be padded. */
  static final String PADDING_RULE = "padding is allowed only on AUTH, PROVE and REGISTER";

  /**
   * Decodes a request.
   *
   * @param line the request without blanks around it
   * @param padded whether the datagram had blanks around the request other than one line end: only
   *     the requests whose replies are larger than they are may be padded, so that nobody buys a
   *     larger reply to a forged address with blanks
   */
  static ClientRequest decode(String line, boolean padded) {
    String[] head = line.split(" ", 2);
    if (!isVersion(head[0])) {
      return InvalidRequest.of(ErrorCode.UNKNOWN_COMMAND);
    }
    if (!head[0].equals(ClientCodec.VERSION)) {
      return InvalidRequest.of(ErrorCode.UNSUPPORTED_VERSION);
    }
    if (head.length < 2) {
      return new InvalidRequest(0, ErrorCode.BAD_ARGUMENTS, "sequence number missing");
    }
    String[] seqAndRest = head[1].split(" ", 2);
    long seq = number(seqAndRest[0]);
    if (seq < 1) {
      return new InvalidRequest(0, ErrorCode.BAD_ARGUMENTS, "bad sequence number");
    }
    if (seqAndRest.length < 2) {
      return new InvalidRequest(seq, ErrorCode.BAD_ARGUMENTS, "command missing");
    }
    String rest = seqAndRest[1];
    String token = null;
    if (rest.startsWith("~")) {
      String[] tokenAndRest = rest.split(" ", 2);
      token = tokenAndRest[0].substring(1);
      if (!Names.token(token)) {
        return new InvalidRequest(seq, ErrorCode.BAD_SESSION, "malformed session token");
      }
      if (tokenAndRest.length < 2) {
        return new InvalidRequest(seq, ErrorCode.BAD_ARGUMENTS, "command missing", token);
      }
      rest = tokenAndRest[1];
    }
    String[] verbAndArgs = rest.split(" ", 2);
    String verb = verbAndArgs[0].toUpperCase(Locale.ROOT);
    String args = verbAndArgs.length > 1 ? verbAndArgs[1] : "";
    try {
      if (padded && !PADDABLE.contains(verb)) {
        throw new Refusal(ErrorCode.BAD_ARGUMENTS, PADDING_RULE);
      }
      Command command = command(verb, args);
      if (token == null && !command.anonymous()) {
        return new InvalidRequest(seq, ErrorCode.NOT_LOGGED_IN, ErrorCode.NOT_LOGGED_IN.text());
      }
      return new Request(seq, token, command);
    } catch (Refusal refusal) {
      return new InvalidRequest(seq, refusal.code, refusal.getMessage(), token);
    }
  }

  private static final Set<String> PADDABLE = Set.of("AUTH", "PROVE", "REGISTER");

  private static Command command(String verb, String args) throws Refusal {
    switch (verb) {
      case "AUTH":
        {
          String[] parts = leading(args, "AUTH <user> <client-nonce> [padding]");
          if (!Names.clientNonce(parts[1])) {
            throw new Refusal(
                ErrorCode.BAD_ARGUMENTS,
                "client nonce: " + Names.MIN_NONCE + "-" + Names.MAX_NONCE + " of A-Z a-z 0-9 _ -");
          }
          return new Command.Auth(user(parts[0]), parts[1]);
        }
      case "PROVE":
        {
          String[] parts = leading(args, "PROVE <nonce> <proof> [padding]");
          return new Command.Prove(nonce(parts[0]), base64(parts[1], "proof"));
        }
      case "REGISTER":
        {
          String[] parts = leading(args, "REGISTER <nonce> <sealed> [padding]");
          return new Command.Register(nonce(parts[0]), base64(parts[1], "sealed"));
        }
      case "LOGIN":
        throw new Refusal(ErrorCode.UPGRADE, ErrorCode.UPGRADE.text());
      case "CHECK":
        if (!Names.challenge(args)) {
          throw new Refusal(ErrorCode.BAD_ARGUMENTS, "usage: CHECK <challenge>");
        }
        return new Command.Check(args);
      case "LIST":
        none(args, "LIST");
        return new Command.ListUsers();
      case "INBOX":
        return new Command.Inbox(args.isEmpty() ? 0 : id(args));
      case "READ":
        return new Command.Read(id(args));
      case "SEND":
        {
          String[] parts = pair(args, "SEND <user|all|#channel> <text>");
          String to =
              parts[0].equalsIgnoreCase(Names.EVERYONE)
                  ? Names.EVERYONE
                  : parts[0].startsWith("#") ? channel(parts[0]) : user(parts[0]);
          return new Command.Send(to, text(parts[1]));
        }
      case "CREATE":
        return new Command.CreateChannel(channel(args));
      case "JOIN":
        return new Command.Join(channel(args));
      case "LEAVE":
        return new Command.Leave(channel(args));
      case "MEMBERS":
        return new Command.Members(channel(args));
      case "INVITE":
        {
          String[] parts = exactPair(args, "INVITE #channel <user>");
          return new Command.Invite(channel(parts[0]), user(parts[1]));
        }
      case "KICK":
        {
          String[] parts = exactPair(args, "KICK #channel <user>");
          return new Command.Kick(channel(parts[0]), user(parts[1]));
        }
      case "DELETE":
        return new Command.Delete(id(args));
      case "ACK":
        return new Command.Ack(id(args));
      case "LIVE":
        none(args, "LIVE");
        return new Command.Live();
      case "LOGOUT":
        none(args, "LOGOUT");
        return new Command.Logout();
      case "UNREGISTER":
        if (args.isEmpty() || args.contains(" ")) {
          throw new Refusal(ErrorCode.BAD_ARGUMENTS, "usage: UNREGISTER <proof>");
        }
        return new Command.Unregister(base64(args, "proof"));
      default:
        throw new Refusal(ErrorCode.UNKNOWN_COMMAND, ErrorCode.UNKNOWN_COMMAND.text());
    }
  }

  /** The first two arguments; anything after them is padding (see docs/PROTOCOL.md). */
  private static String[] leading(String args, String usage) throws Refusal {
    String[] parts = args.split(" ", 3);
    if (parts.length < 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new Refusal(ErrorCode.BAD_ARGUMENTS, "usage: " + usage);
    }
    return parts;
  }

  /** Longest base64 argument: a sealed password of 128 characters of 4 bytes each fits. */
  private static final int MAX_BASE64 = 1024;

  private static String nonce(String raw) throws Refusal {
    if (!Names.nonce(raw)) {
      throw new Refusal(ErrorCode.BAD_ARGUMENTS, "nonce: the one from OK AUTH");
    }
    return raw;
  }

  private static String base64(String raw, String what) throws Refusal {
    if (!Names.base64(raw, MAX_BASE64)) {
      throw new Refusal(ErrorCode.BAD_ARGUMENTS, what + ": base64, at most " + MAX_BASE64);
    }
    return raw;
  }

  private static String[] pair(String args, String usage) throws Refusal {
    String[] parts = args.split(" ", 2);
    if (parts.length < 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new Refusal(ErrorCode.BAD_ARGUMENTS, "usage: " + usage);
    }
    return parts;
  }

  private static String[] exactPair(String args, String usage) throws Refusal {
    String[] parts = pair(args, usage);
    if (parts[1].contains(" ")) {
      throw new Refusal(ErrorCode.BAD_ARGUMENTS, "usage: " + usage);
    }
    return parts;
  }

  private static String channel(String raw) throws Refusal {
    String name = Names.channel(raw);
    if (name == null) {
      throw new Refusal(
          ErrorCode.BAD_ARGUMENTS,
          "channel: # and 1-32 of a-z 0-9 _ . -, starting with a-z or 0-9");
    }
    return name;
  }

  private static void none(String args, String verb) throws Refusal {
    if (!args.isEmpty()) {
      throw new Refusal(ErrorCode.BAD_ARGUMENTS, verb + " takes no arguments");
    }
  }

  private static String user(String raw) throws Refusal {
    String name = Names.username(raw);
    if (name == null) {
      throw new Refusal(
          ErrorCode.BAD_ARGUMENTS, "username: 1-32 of a-z 0-9 _ . -, starting with a-z or 0-9");
    }
    return name;
  }

  private static String text(String raw) throws Refusal {
    if (raw.getBytes(StandardCharsets.UTF_8).length > Names.MAX_TEXT_BYTES) {
      throw new Refusal(
          ErrorCode.BAD_ARGUMENTS, "message longer than " + Names.MAX_TEXT_BYTES + " bytes");
    }
    if (raw.isBlank()) {
      throw new Refusal(ErrorCode.BAD_ARGUMENTS, "empty message");
    }
    return raw;
  }

  private static long id(String raw) throws Refusal {
    long id = number(raw);
    if (id < 1) {
      throw new Refusal(ErrorCode.BAD_ARGUMENTS, "message id must be a positive number");
    }
    return id;
  }

  /** A positive decimal of at most 18 digits, or -1; checked by hand, no pattern per request. */
  static long number(String raw) {
    int length = raw.length();
    if (length < 1 || length > 18) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < length; i++) {
      char c = raw.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /** Whether the word looks like a protocol version: K and 1 to 3 digits. */
  private static boolean isVersion(String word) {
    int length = word.length();
    if (length < 2 || length > 4 || word.charAt(0) != 'K') {
      return false;
    }
    for (int i = 1; i < length; i++) {
      if (word.charAt(i) < '0' || word.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static final class Refusal extends Exception {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    Refusal(ErrorCode code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }
}
