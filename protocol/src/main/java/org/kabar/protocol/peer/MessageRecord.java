package org.kabar.protocol.peer;

import java.util.Objects;

/**
 * {@code MSG <id> <revision> <flags> <received-ms> <from> <to> <channel|-> <sender-session>
 * <client-seq> <text>}: one stored message and its state, sent at once when it is stored or changes
 * and periodically while undelivered (seed S3.4). Ids are the same on every server. The flags only
 * ever gain bits, so copies merge by OR whatever order they arrive in: a message delivered, read or
 * deleted at one server is never brought back by another.
 *
 * @param senderSession the session that sent it and {@code clientSeq} the request's sequence number
 *     (0 and 0 for a message the server made, such as an invitation), so a request retried at
 *     another server finds it
 */
public record MessageRecord(
    long id,
    long revision,
    int flags,
    long receivedAtMillis,
    String from,
    String to,
    String channel,
    long senderSession,
    long clientSeq,
    String text)
    implements PeerFrame {

  /** The recipient acknowledged it. */
  public static final int DELIVERED = 1;

  /** The recipient opened it. */
  public static final int READ = 2;

  /** The recipient deleted it: a tombstone without text. */
  public static final int DELETED = 4;

  /** Sent to everyone online, never kept as offline mail. */
  public static final int BROADCAST = 8;

  /** Every flag. */
  public static final int ALL_FLAGS = DELIVERED | READ | DELETED | BROADCAST;

  public MessageRecord {
    Objects.requireNonNull(from);
    Objects.requireNonNull(to);
    Objects.requireNonNull(text);
    if ((flags & ~ALL_FLAGS) != 0) {
      throw new IllegalArgumentException("unknown flags " + flags);
    }
  }

  public boolean has(int flag) {
    return (flags & flag) != 0;
  }
}
