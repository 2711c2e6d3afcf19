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
 * own commit, however much more is offered. The wait named is twice the queueing seen, within
 * {@link RetryHint}'s bounds: the longer the queue, the longer refused clients stay away. Only
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

  private long boundNanos;
  private final AtomicLong shed = new AtomicLong();

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
    if (waitedNanos <= boundNanos) {
      return null;
    }
    shed.incrementAndGet();
    return RetryHint.busy(seq, 2 * waitedNanos / 1_000_000);
  }

  /** SENDs refused so far. */
  public long shed() {
    return shed.get();
  }
}
