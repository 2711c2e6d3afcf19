package org.kabar.protocol.client;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes client datagrams into {@link ClientRequest}s and encodes {@link ClientReply}s; the only
 * place that knows the client protocol's text form (docs/PROTOCOL.md).
 */
public final class ClientCodec {

  /**
   * Largest datagram either side sends, in bytes: fits one IPv6 packet on the minimum MTU (1280)
   * with room for headers, so no datagram is ever fragmented.
   */
  public static final int MAX_DATAGRAM_BYTES = 1200;

  static final String LIVE_CHECK = "/@live?";
  static final String ALIVE = "yes";
  static final String ERROR = "ERR";

  private ClientCodec() {}

  /**
   * Decodes one datagram. Never throws on bad input: what cannot be decoded becomes an {@link
   * InvalidRequest} saying why.
   *
   * @param datagram the datagram's bytes, from position to limit; may be longer than allowed
   */
  public static ClientRequest decode(ByteBuffer datagram) {
    if (datagram.remaining() > MAX_DATAGRAM_BYTES) {
      return invalid(ErrorCode.TOO_LARGE);
    }
    String text;
    try {
      text = strictUtf8().decode(datagram.duplicate()).toString();
    } catch (CharacterCodingException e) {
      return invalid(ErrorCode.BAD_ENCODING);
    }
    String line = stripLineEnd(text);
    if (line.isBlank()) {
      return invalid(ErrorCode.EMPTY);
    }
    if (hasControlCharacter(line)) {
      return new InvalidRequest(ErrorCode.BAD_ENCODING, "control characters");
    }
    if (line.strip().equals(LIVE_CHECK)) {
      return new LiveCheck();
    }
    return invalid(ErrorCode.UNKNOWN_COMMAND);
  }

  /** Decodes one datagram given as a byte array. */
  public static ClientRequest decode(byte[] datagram) {
    return decode(ByteBuffer.wrap(datagram));
  }

  /** Encodes a reply as the bytes of one datagram, newline-terminated so it reads well in nc. */
  public static byte[] encode(ClientReply reply) {
    String text;
    if (reply instanceof Alive) {
      text = ALIVE;
    } else if (reply instanceof ErrorReply error) {
      text = ERROR + " " + error.code().number() + " " + error.text();
    } else {
      throw new IllegalArgumentException("unknown reply " + reply);
    }
    return (text + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Decodes a reply on the client side.
   *
   * @throws IllegalArgumentException if the datagram is not a reply of this protocol
   */
  public static ClientReply decodeReply(ByteBuffer datagram) {
    String text;
    try {
      text = stripLineEnd(strictUtf8().decode(datagram.duplicate()).toString());
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("reply is not UTF-8", e);
    }
    if (text.equals(ALIVE)) {
      return new Alive();
    }
    if (text.startsWith(ERROR + " ")) {
      String[] parts = text.split(" ", 3);
      int number = Integer.parseInt(parts[1]);
      for (ErrorCode code : ErrorCode.values()) {
        if (code.number() == number) {
          return new ErrorReply(code, parts.length > 2 ? parts[2] : code.text());
        }
      }
    }
    throw new IllegalArgumentException("not a reply: " + text);
  }

  private static InvalidRequest invalid(ErrorCode code) {
    return new InvalidRequest(code, code.text());
  }

  private static CharsetDecoder strictUtf8() {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  private static String stripLineEnd(CharSequence text) {
    int end = text.length();
    while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
      end--;
    }
    return CharBuffer.wrap(text, 0, end).toString();
  }

  private static boolean hasControlCharacter(String line) {
    return line.codePoints().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f);
  }
}
