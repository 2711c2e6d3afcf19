package org.kabar.protocol.peer;

import java.util.List;
import java.util.Objects;

/**
 * {@code LOAD <quota> <sessions> <undelivered> <queue-depth> <dropped> <bucket-ms> <counts>}: the
 * answer to a {@link LoadQuery}: the server's quota and sessions connected to it, the messages it
 * holds undelivered, its inbound datagram queue and datagrams dropped, and how many messages it
 * accepted in each of the last {@value #BUCKETS} ten-second periods (comma-separated, oldest first;
 * the newest is the period starting at {@code bucket-ms}, still running).
 */
public record Load(
    int quota,
    long sessions,
    long undelivered,
    long queueDepth,
    long dropped,
    long newestBucketMillis,
    List<Long> counts)
    implements PeerFrame {

  /** How many periods a load carries. */
  public static final int BUCKETS = 30;

  /** How long one period is. */
  public static final long BUCKET_MILLIS = 10_000;

  public Load {
    counts = List.copyOf(Objects.requireNonNull(counts));
    if (counts.size() != BUCKETS) {
      throw new IllegalArgumentException("counts must have " + BUCKETS + " periods");
    }
  }
}
