package org.kabar.adapter.inbound;

import java.time.Duration;
import java.time.Instant;
import org.kabar.adapter.api.ClientDatagram;
import org.kabar.protocol.client.ClientCodec;
import org.kabar.protocol.client.ClientReply.ErrorReply;
import org.kabar.protocol.client.Command;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.protocol.client.Request;
import org.kabar.protocol.client.RetryHint;

/**
 * Sheds load instead of queueing it: a {@code SEND} that waited in the client queue longer than the
 * bound ({@code KABAR_SHED_AFTER_MILLIS}) is answered here, as a worker takes it, with {@code ERR
 * 507 busy, retry in <n> ms} and never reaches the message-driven bean, so nothing is stored and a
 * refusal costs the node almost nothing: no container call, no token check, no transaction.
 * Refusing in the bean instead cost about as much as storing, and offered twice its capacity the
 * node then served almost nothing but refusals.
 *
 * <p>The wait named is twice the queueing seen, stretched by 1 / (1 − <i>f</i>)², where <i>f</i> is
 * the share of recent SENDs refused (at most 100 times, within {@link RetryHint}'s bounds): the
 * longer the queue and the more clients already wait, the longer refused clients stay away, so
 * their retries do not come back faster than the node takes them. When half the SENDs are refused
 * the wait is four times the base; when nine in ten are, a hundred times. (A stretch of 1 + 8
 * <i>f</i>, at most nine, let refused clients come back so often at twice the node's capacity that
 * it spent itself on refusals.) Clients give up after ten refusals, which bounds how many wait. The
 * token is not checked here, so the reply must not be larger than the datagram (no amplification
 * toward a forged address): if the hint would make it larger, it is cut to {@code K1 <seq> ERR
 * 507}, which a client takes as the shortest wait. Only {@code SEND} is shed: an {@code ACK},
 * {@code LIVE} or {@code LOGOUT} costs little, and not serving it would only bring work back
 * (pushes again, sessions expiring).
 */
public final class SendShedding {

  /** The default bound on a SEND's wait in the queue, in milliseconds. */
  public static final int DEFAULT_MILLIS = 25;

  /** The largest bound accepted: beyond it a client would retransmit before being answered. */
  public static final int MOST_MILLIS = 1_000;

  /** The most the wait named is stretched by the share refused. */
  private static final double MOST_STRETCH = 100;

  /** How fast the refused share follows what happens: about the last 256 SENDs. */
  private static final double SMOOTHING = 1.0 / 256;

  private final long boundNanos;

  /** The share of recent SENDs refused, smoothed; racy updates only blur it a little. */
  private volatile double refusedShare;

  /**
   * @param boundMillis the longest wait served, 0 (off) to {@link #MOST_MILLIS}
   */
  public SendShedding(int boundMillis) {
    if (boundMillis < 0 || boundMillis > MOST_MILLIS) {
      throw new IllegalArgumentException(
          "the shedding bound is 0 (off) to " + MOST_MILLIS + " ms, was " + boundMillis);
    }
    this.boundNanos = Duration.ofMillis(boundMillis).toNanos();
  }

  /**
   * The refusal to send back for a datagram taken from the queue now, if it is a SEND that waited
   * too long.
   *
   * @return the reply's bytes, or null if the datagram is to be served
   */
  public byte[] refusal(ClientDatagram datagram, Instant now) {
    if (boundNanos == 0
        || !(datagram.request() instanceof Request request)
        || !(request.command() instanceof Command.Send)) {
      return null;
    }
    long waitedNanos = Duration.between(datagram.receivedAt(), now).toNanos();
    boolean refuse = waitedNanos > boundNanos;
    double share = refusedShare + SMOOTHING * ((refuse ? 1 : 0) - refusedShare);
    refusedShare = share;
    if (!refuse) {
      return null;
    }
    double stretch = Math.min(MOST_STRETCH, 1 / ((1 - share) * (1 - share)));
    long millis = Math.round(2 * waitedNanos / 1e6 * stretch);
    byte[] reply = ClientCodec.encode(RetryHint.busy(request.seq(), millis));
    return reply.length <= datagram.sizeBytes()
        ? reply
        : ClientCodec.encode(new ErrorReply(request.seq(), ErrorCode.BUSY, ""));
  }
}
