package org.kabar.client;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Retransmission timing after CoAP (RFC 7252): the first wait is 2 s stretched by a random factor
 * up to 1.5, then each wait doubles; a request is sent at most {@code 1 + retries} times.
 */
public record Backoff(long firstMillis, int retries) {

  /** 2 s, 4 retries: about 45 s at most before giving up. */
  public static final Backoff DEFAULT = new Backoff(2_000, 4);

  /** How long to wait for an answer to send number {@code attempt} (0-based). */
  public long waitMillis(int attempt) {
    double factor = 1 + ThreadLocalRandom.current().nextDouble(0.5);
    return (long) (firstMillis * factor) << attempt;
  }
}
