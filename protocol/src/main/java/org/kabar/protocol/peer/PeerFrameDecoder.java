package org.kabar.protocol.peer;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.kabar.protocol.client.Names;

/** Reads length-prefixed frames from a peer's byte stream and decodes them into records. */
public final class PeerFrameDecoder {

  /** Largest frame body accepted, in bytes; a larger announced length is refused before reading. */
  public static final int MAX_FRAME_BYTES = 64 * 1024;

  private final DataInputStream in;

  public PeerFrameDecoder(InputStream in) {
    this.in = new DataInputStream(in);
  }

  /**
   * Reads the next frame, blocking until it is complete.
   *
   * @throws EOFException if the peer closed the stream between frames
   * @throws PeerProtocolException if the bytes are not a valid frame
   */
  public PeerFrame next() throws IOException, PeerProtocolException {
    int length = in.readInt();
    if (length <= 0 || length > MAX_FRAME_BYTES) {
      throw new PeerProtocolException(
          "bad-length", "frame length " + length + " outside 1.." + MAX_FRAME_BYTES);
    }
    byte[] body = new byte[length];
    in.readFully(body);
    return decodeBody(body);
  }

  /** Decodes one frame body (the bytes after the length prefix). */
  public static PeerFrame decodeBody(byte[] body) throws PeerProtocolException {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body))
              .toString();
    } catch (CharacterCodingException e) {
      throw new PeerProtocolException("bad-encoding", "frame is not UTF-8");
    }
    return decodeText(text);
  }

  private static PeerFrame decodeText(String text) throws PeerProtocolException {
    String[] parts = text.split(" ", 3);
    switch (parts[0]) {
      case "VIA":
        {
          if (parts.length != 3) {
            throw new PeerProtocolException("bad-arguments", "usage: " + VIA_USAGE);
          }
          String[] nodes = parts[1].split(",", -1);
          if (nodes.length > Via.MAX_NODES) {
            throw new PeerProtocolException("bad-arguments", "usage: " + VIA_USAGE);
          }
          for (String node : nodes) {
            if (!NODE_NAME.matcher(node).matches()) {
              throw new PeerProtocolException("bad-arguments", "usage: " + VIA_USAGE);
            }
          }
          PeerFrame inner = decodeText(parts[2]);
          if (!Via.carries(inner)) {
            throw new PeerProtocolException("bad-arguments", "usage: " + VIA_USAGE);
          }
          return new Via(List.of(nodes), inner);
        }
      case "BEAT":
        {
          String[] f = fields(text, 3, "BEAT <incarnation> <sequence>");
          return new Beat(positive(f[1], "incarnation"), positive(f[2], "sequence"));
        }
      case "PING":
        return new Ping(nonce(parts));
      case "PONG":
        return new Pong(nonce(parts));
      case "HELLO":
        {
          String[] f = fields(text, 3, "HELLO <node> <nonce>");
          return new Hello(f[1], f[2]);
        }
      case "WELCOME":
        {
          String[] f = fields(text, 4, "WELCOME <node> <nonce> <mac>");
          return new Welcome(f[1], f[2], f[3]);
        }
      case "PROOF":
        {
          String[] f = fields(text, 2, "PROOF <mac>");
          return new Proof(f[1]);
        }
      case "ANNOUNCE":
        {
          String[] f =
              fields(text, 6, "ANNOUNCE <node> <host> <tcp-port> <udp-port> <node-number>");
          int tcp = port(f[3]);
          int udp = port(f[4]);
          if (!digits(f[5], 4) || Integer.parseInt(f[5]) > Announce.MAX_NODE_NUMBER) {
            throw new PeerProtocolException(
                "bad-arguments", "node number out of range: " + PeerText.quote(f[5]));
          }
          return new Announce(f[1], f[2], tcp, udp, Integer.parseInt(f[5]));
        }
      case "CLAIM":
        {
          String[] f = claim(text, "CLAIM <claim-id> <name>");
          return new Claim(f[1], f[2]);
        }
      case "STORED":
        {
          String[] f = text.split(" ", -1);
          String[] ids = f.length == 2 ? f[1].split(",", -1) : new String[0];
          if (ids.length == 0 || ids.length > StoredCopies.MAX_IDS) {
            throw new PeerProtocolException("bad-arguments", "usage: " + STORED_USAGE);
          }
          List<Long> parsed = new ArrayList<>(ids.length);
          for (String id : ids) {
            parsed.add(positive(id, "id"));
          }
          return new StoredCopies(parsed);
        }
      case "UNCLAIM":
        {
          String[] f = claim(text, "UNCLAIM <claim-id> <name>");
          return new Unclaim(f[1], f[2]);
        }
      case "ASKCLAIM":
        {
          String[] f = claim(text, "ASKCLAIM <claim-id> <name>");
          return new AskClaim(f[1], f[2]);
        }
      case "CLAIMED":
        {
          String[] f = fields(text, 3, "CLAIMED <claim-id> yes|no");
          if (!f[2].equals("yes") && !f[2].equals("no") || !CLAIM_ID.matcher(f[1]).matches()) {
            throw new PeerProtocolException("bad-arguments", "usage: CLAIMED <claim-id> yes|no");
          }
          return new Claimed(f[1], f[2].equals("yes"));
        }
      case "USER":
        {
          String[] f = text.split(" ", -1);
          if ((f.length != 4 && f.length != 6)
              || !user(f[1])
              || !digits(f[2], 18)
              || !KEY_PROOF.matcher(f[3]).matches()
              || (f.length == 6
                  && (!digits(f[4], 18) || !(f[5].equals("active") || f[5].equals("disabled"))))) {
            throw new PeerProtocolException(
                "bad-arguments",
                "usage: USER <name> <created-ms> <password-hash> [<revision> active|disabled]");
          }
          return f.length == 4
              ? new UserRecord(f[1], Long.parseLong(f[2]), f[3])
              : new UserRecord(
                  f[1], Long.parseLong(f[2]), f[3], Long.parseLong(f[4]), f[5].equals("disabled"));
        }
      case "UNUSER":
        {
          String[] f = fields(text, 2, "UNUSER <name>");
          return new UserRemoved(f[1]);
        }
      case "MSG":
        return message(text);
      case "SESSION":
        return session(text);
      case "SYNC":
        {
          String[] f = fields(text, 2, "SYNC <since-ms>");
          return new SyncRequest(number(f[1], "since"));
        }
      case "CHANNEL":
        {
          String[] f = text.split(" ", -1);
          if (f.length != 4 || !channel(f[1]) || !user(f[2])) {
            throw new PeerProtocolException(
                "bad-arguments", "usage: CHANNEL <name> <creator> <created-ms>");
          }
          return new ChannelRecord(f[1], f[2], number(f[3], "created-ms"));
        }
      case "MEMBER":
        {
          String[] f = text.split(" ", -1);
          if (f.length != 5
              || !channel(f[1])
              || !user(f[2])
              || !MEMBER_STATE.matcher(f[3]).matches()) {
            throw new PeerProtocolException(
                "bad-arguments", "usage: MEMBER <channel> <user> invited|joined|gone <revision>");
          }
          return new MemberRecord(
              f[1],
              f[2],
              MemberRecord.State.valueOf(f[3].toUpperCase(Locale.ROOT)),
              number(f[4], "revision"));
        }
      case "LOAD?":
        if (parts.length != 1) {
          throw new PeerProtocolException("bad-arguments", "usage: LOAD?");
        }
        return new LoadQuery();
      case "LOAD":
        return load(text);
      case "ERROR":
        if (parts.length < 3 || !ERROR_CODE.matcher(parts[1]).matches()) {
          throw new PeerProtocolException("bad-arguments", "ERROR needs a code and a text");
        }
        // the text is only ever shown to people: made printable here, once for every reader
        return new PeerError(parts[1], PeerText.printable(parts[2], PeerText.MESSAGE_CHARS));
      default:
        throw new PeerProtocolException("unknown-frame", "unknown frame type");
    }
  }

  // Patterns compiled once: String.matches compiled one for every field of every frame.
  private static final Pattern KEY_PROOF = Pattern.compile("[A-Za-z0-9:+/=-]{1,512}");
  private static final Pattern MEMBER_STATE = Pattern.compile("invited|joined|gone");
  private static final Pattern ERROR_CODE = Pattern.compile("[a-z0-9-]{1,40}");
  private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern IP_ADDRESS = Pattern.compile("[0-9A-Fa-f.:]{2,45}");
  private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  private static final Pattern CLAIM_ID = Pattern.compile("[0-9a-f]{1,64}");

  /** The fields of a frame about one claim: a claim id (hex) and a username. */
  private static String[] claim(String text, String usage) throws PeerProtocolException {
    String[] f = fields(text, 3, usage);
    if (!CLAIM_ID.matcher(f[1]).matches() || !user(f[2])) {
      throw new PeerProtocolException("bad-arguments", "usage: " + usage);
    }
    return f;
  }

  /** A username as the client protocol defines it, already in lower case. */
  private static boolean user(String text) {
    return text.equals(Names.username(text));
  }

  /** A channel name as the client protocol defines it, already in lower case. */
  private static boolean channel(String text) {
    return text.equals(Names.channel(text));
  }

  /** One to {@code most} ASCII digits. */
  private static boolean digits(String text, int most) {
    if (text.isEmpty() || text.length() > most) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static final String STORED_USAGE = "STORED <id>[,<id>...] (1 to 1024 ids)";

  private static final String VIA_USAGE = "VIA <node>[,<node>...] MSG|SESSION|CHANNEL|MEMBER ...";

  private static final String MSG_USAGE =
      "usage: MSG <id> <revision> <flags> <received-ms> <from> <to> <channel|-> <sender-session>"
          + " <client-seq> <text>";

  private static MessageRecord message(String text) throws PeerProtocolException {
    String[] f = text.split(" ", 11);
    if (f.length != 11
        || !user(f[5])
        || !(user(f[6]) || f[6].equals("*"))
        || !(f[7].equals("-") || channel(f[7]))
        || !digits(f[3], 2)
        || (Integer.parseInt(f[3]) & ~MessageRecord.ALL_FLAGS) != 0
        || f[10].length() > MAX_TEXT_CHARS
        || f[10].chars().anyMatch(Character::isISOControl)) {
      throw new PeerProtocolException("bad-arguments", MSG_USAGE);
    }
    return new MessageRecord(
        positive(f[1], "id"),
        number(f[2], "revision"),
        Integer.parseInt(f[3]),
        number(f[4], "received-ms"),
        f[5],
        f[6],
        f[7].equals("-") ? null : f[7],
        number(f[8], "sender-session"),
        number(f[9], "client-seq"),
        f[10]);
  }

  private static final String LOAD_USAGE =
      "usage: LOAD <quota> <sessions> <undelivered> <queue-depth> <dropped> <bucket-ms>"
          + " <count,...>";

  private static Load load(String text) throws PeerProtocolException {
    String[] f = text.split(" ", -1);
    if (f.length != 8 || !digits(f[1], 9)) {
      throw new PeerProtocolException("bad-arguments", LOAD_USAGE);
    }
    String[] counts = f[7].split(",", -1);
    if (counts.length != Load.BUCKETS) {
      throw new PeerProtocolException(
          "bad-arguments", "LOAD needs " + Load.BUCKETS + " counts, not " + counts.length);
    }
    List<Long> periods = new ArrayList<>(counts.length);
    for (String count : counts) {
      periods.add(number(count, "count"));
    }
    return new Load(
        Integer.parseInt(f[1]),
        number(f[2], "sessions"),
        number(f[3], "undelivered"),
        number(f[4], "queue-depth"),
        number(f[5], "dropped"),
        number(f[6], "bucket-ms"),
        periods);
  }

  private static final String SESSION_USAGE =
      "usage: SESSION <id> <revision> <user> <server> <connected 1|0> <login-ms> <client-host>"
          + " <client-port> <token-hash|->";

  private static SessionRecord session(String text) throws PeerProtocolException {
    String[] f = text.split(" ", -1);
    if (f.length != 10
        || !user(f[3])
        || !NODE_NAME.matcher(f[4]).matches()
        || !(f[5].equals("1") || f[5].equals("0"))
        || !IP_ADDRESS.matcher(f[7]).matches()
        || !(f[9].equals("-") || FINGERPRINT.matcher(f[9]).matches())) {
      throw new PeerProtocolException("bad-arguments", SESSION_USAGE);
    }
    return new SessionRecord(
        positive(f[1], "id"),
        number(f[2], "revision"),
        f[3],
        f[4],
        f[5].equals("1"),
        number(f[6], "login-ms"),
        f[7],
        port(f[8]),
        f[9].equals("-") ? null : f[9]);
  }

  /** Longest message text a MSG frame carries, in characters (the client protocol's limit). */
  public static final int MAX_TEXT_CHARS = 1000;

  private static long number(String text, String what) throws PeerProtocolException {
    if (!digits(text, 18)) {
      throw new PeerProtocolException(
          "bad-arguments", what + " is not a number: " + PeerText.quote(text));
    }
    return Long.parseLong(text);
  }

  private static long positive(String text, String what) throws PeerProtocolException {
    long value = number(text, what);
    if (value == 0) {
      throw new PeerProtocolException("bad-arguments", what + " must be positive");
    }
    return value;
  }

  /** Exactly {@code count} words, each a safe token (letters, digits, {@code . _ -}). */
  private static String[] fields(String text, int count, String usage)
      throws PeerProtocolException {
    String[] f = text.split(" ", -1);
    if (f.length != count) {
      throw new PeerProtocolException("bad-arguments", "usage: " + usage);
    }
    for (String word : f) {
      if (!WORD.matcher(word).matches()) {
        throw new PeerProtocolException("bad-arguments", "usage: " + usage);
      }
    }
    return f;
  }

  private static int port(String text) throws PeerProtocolException {
    if (!digits(text, 5) || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65535) {
      throw new PeerProtocolException(
          "bad-arguments", "port out of range: " + PeerText.quote(text));
    }
    return Integer.parseInt(text);
  }

  private static long nonce(String[] parts) throws PeerProtocolException {
    if (parts.length != 2) {
      throw new PeerProtocolException("bad-arguments", parts[0] + " needs exactly one nonce");
    }
    try {
      return Long.parseLong(parts[1]);
    } catch (NumberFormatException e) {
      throw new PeerProtocolException("bad-arguments", "nonce is not a number");
    }
  }
}
