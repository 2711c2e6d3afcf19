package org.kabar.server.gateway.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.kabar.protocol.client.ClientReply.ErrorReply;
import org.kabar.protocol.client.RetryHint;

/**
 * Sheds load instead of queueing it: a {@code SEND} that waited in the node's inbound queue longer
 * than {@code KABAR_SHED_AFTER_MILLIS} is refused before anything is stored, with {@code ERR 507
 * busy, retry in <n> ms}, so the messages the node accepts are stored within that bound plus their
 * own commit, however much more is offered. The wait named is twice the queueing seen, stretched by
 * the share of recent SENDs refused (up to nine times, within {@link RetryHint}'s bounds): the
 * longer the queue and the more clients already wait, the longer refused clients stay away, so
 * their retries do not come back faster than the node takes them and cost it more refusals. Only
 * {@code SEND} is shed; an {@code ACK}, {@code LIVE} or {@code LOGOUT} costs little and shedding it
 * would only bring more work back (pushes again, sessions expiring).
 */
@ApplicationScoped
public class LoadShedding {

  private static final Logger LOG = Logger.getLogger(LoadShedding.class.getName());

  /** The default bound on a SEND's wait in the queue. */
  static final int DEFAULT_MILLIS = 25;

  /** The largest bound accepted: beyond it a client would retransmit before being answered. */
  static final int MOST_MILLIS = 1_000;

  @Inject
  @ConfigProperty(name = "kabar.shed.after.millis", defaultValue = "" + DEFAULT_MILLIS)
  int configuredMillis;

  /** How fast the refused share follows what happens: about the last 256 SENDs. */
  private static final double SMOOTHING = 1.0 / 256;

  private long boundNanos;
  private final AtomicLong shed = new AtomicLong();

  /** The share of recent SENDs refused, smoothed; racy updates only blur it a little. */
  private volatile double refusedShare;

  @PostConstruct
  void validate() {
    int millis = configuredMillis;
    if (millis < 0 || millis > MOST_MILLIS) {
      LOG.warning(
          () ->
              "KABAR_SHED_AFTER_MILLIS="
                  + configuredMillis
                  + " is not 0 (off) to "
                  + MOST_MILLIS
                  + ": using "
                  + DEFAULT_MILLIS);
      millis = DEFAULT_MILLIS;
    }
    boundNanos = Duration.ofMillis(millis).toNanos();
  }

  /**
   * The refusal of a SEND read from the socket at {@code receivedAt}, if it waited too long.
   *
   * @return null if it is to be served
   */
  public ErrorReply refusal(long seq, Instant receivedAt, Instant now) {
    if (boundNanos == 0) {
      return null;
    }
    long waitedNanos = Duration.between(receivedAt, now).toNanos();
    boolean refuse = waitedNanos > boundNanos;
    double share = refusedShare + SMOOTHING * ((refuse ? 1 : 0) - refusedShare);
    refusedShare = share;
    if (!refuse) {
      return null;
    }
    shed.incrementAndGet();
    return RetryHint.busy(seq, Math.round(2 * waitedNanos / 1e6 * (1 + 8 * share)));
  }

  /** SENDs refused so far. */
  public long shed() {
    return shed.get();
  }
}
