package org.kabar.protocol.client;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The client protocol's codec (docs/PROTOCOL.md): the only place that knows its text form. The
 * server decodes requests and encodes replies; the client does the reverse.
 */
public final class ClientCodec {

  /**
   * Largest datagram either side sends, in bytes: fits one IPv6 packet on the minimum MTU (1280)
   * with room for headers, so no datagram is ever fragmented.
   */
  public static final int MAX_DATAGRAM_BYTES = 1200;

  /** The protocol version this codec speaks, first word of every framed datagram. */
  public static final String VERSION = "K1";

  static final String LIVE_CHECK = "/@live?";

  private ClientCodec() {}

  /**
   * Decodes one request datagram. Never throws on bad input: what cannot be decoded becomes an
   * {@link InvalidRequest} saying why.
   *
   * @param datagram the datagram's bytes, from position to limit; may be longer than allowed
   */
  public static ClientRequest decode(ByteBuffer datagram) {
    if (datagram.remaining() > MAX_DATAGRAM_BYTES) {
      return InvalidRequest.of(ErrorCode.TOO_LARGE);
    }
    String line = text(datagram);
    if (line == null) {
      return InvalidRequest.of(ErrorCode.BAD_ENCODING);
    }
    if (line.isBlank()) {
      return InvalidRequest.of(ErrorCode.EMPTY);
    }
    if (hasControlCharacter(line)) {
      return new InvalidRequest(0, ErrorCode.BAD_ENCODING, "control characters");
    }
    String command = line.strip();
    if (command.equals(LIVE_CHECK)) {
      return new LiveCheck();
    }
    return RequestDecoder.decode(command, command.length() < withoutLineEnd(line).length());
  }

  /** The text without its one line end ({@code \n} or {@code \r\n}), if it has one. */
  private static String withoutLineEnd(String line) {
    if (line.endsWith("\r\n")) {
      return line.substring(0, line.length() - 2);
    }
    return line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
  }

  /** Decodes one request datagram given as a byte array. */
  public static ClientRequest decode(byte[] datagram) {
    return decode(ByteBuffer.wrap(datagram));
  }

  /**
   * Encodes a reply or push as one datagram, newline-terminated so it reads well in nc. Lists that
   * would not fit are cut, saying how many entries were left out.
   */
  public static byte[] encode(ClientReply reply) {
    return (ReplyEncoder.text(reply) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** Encodes a request as the client sends it. */
  public static byte[] encodeRequest(Request request) {
    byte[] bytes = (RequestEncoder.text(request) + "\n").getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_DATAGRAM_BYTES) {
      throw new IllegalArgumentException("request of " + bytes.length + " bytes is too large");
    }
    return bytes;
  }

  /**
   * Decodes a reply or push on the client side.
   *
   * @throws IllegalArgumentException if the datagram is not a reply of this protocol
   */
  public static ClientReply decodeReply(ByteBuffer datagram) {
    String line = text(datagram);
    if (line == null) {
      throw new IllegalArgumentException("reply is not UTF-8");
    }
    return ReplyDecoder.decode(line);
  }

  /** The datagram as text without its line end, or null if it is not strict UTF-8. */
  private static String text(ByteBuffer datagram) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(datagram.duplicate())
              .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    int end = text.length();
    while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
      end--;
    }
    return text.substring(0, end);
  }

  private static boolean hasControlCharacter(String line) {
    return line.codePoints().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f);
  }
}
