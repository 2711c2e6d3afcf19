package org.kabar.client;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Retransmission timing after CoAP (RFC 7252): the first wait is stretched by a random factor up to
 * 1.5, then each wait doubles; a request is sent at most {@code 1 + retries} times.
 */
public record Backoff(long firstMillis, int retries) {

  /**
   * 1 s, 2 retries: a lost datagram is sent again after 1 to 1.5 s, and a server that answers
   * nothing is left after 7 to 10.5 s for the next one of the list.
   */
  public static final Backoff DEFAULT = new Backoff(1_000, 2);

  /** How long to wait for an answer to send number {@code attempt} (0-based). */
  public long waitMillis(int attempt) {
    double factor = 1 + ThreadLocalRandom.current().nextDouble(0.5);
    return (long) (firstMillis * factor) << attempt;
  }
}
