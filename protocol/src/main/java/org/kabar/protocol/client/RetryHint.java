package org.kabar.protocol.client;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kabar.protocol.client.ClientReply.ErrorReply;

/**
 * The retry hint of {@code ERR 507 busy, retry in <n> ms}: an overloaded server refuses a {@code
 * SEND} it has not acted on and says when to send it again. A client waits that long (a little
 * more, at random, so that refused clients do not all return at once), then sends the request
 * again; nothing was stored, so nothing is lost or stored twice.
 */
public final class RetryHint {

  /** The shortest wait a server names. */
  public static final long MIN_MILLIS = 50;

  /** The longest wait a server names; a client waits no longer whatever the text says. */
  public static final long MAX_MILLIS = 5_000;

  private static final Pattern TEXT = Pattern.compile("busy, retry in (\\d{1,6}) ms");

  private RetryHint() {}

  /** The reply refusing a request for {@code millis} (kept within the bounds above). */
  public static ErrorReply busy(long seq, long millis) {
    return new ErrorReply(seq, ErrorCode.BUSY, text(millis));
  }

  /** The text of that reply. */
  public static String text(long millis) {
    return "busy, retry in " + clamp(millis) + " ms";
  }

  /**
   * How long to wait before sending a refused request again: the hint's time, or {@link
   * #MIN_MILLIS} if the reply carries none (it was cut to its code); empty if the reply is no
   * {@code ERR 507}.
   */
  public static OptionalLong millis(ClientReply reply) {
    if (!(reply instanceof ErrorReply error) || error.code() != ErrorCode.BUSY) {
      return OptionalLong.empty();
    }
    Matcher hint = TEXT.matcher(error.text());
    return OptionalLong.of(hint.matches() ? clamp(Long.parseLong(hint.group(1))) : MIN_MILLIS);
  }

  private static long clamp(long millis) {
    return Math.max(MIN_MILLIS, Math.min(MAX_MILLIS, millis));
  }
}
