package org.kabar.protocol.peer;

import java.util.List;

/**
 * {@code STORED <id>[,<id>...]}: the answer of a server that has committed the copies of these
 * messages to its disk, sent back over the link they came on to the server where they began. That
 * server answers its senders {@code OK SEND} only once a second server has answered so (or none is
 * active): a message acknowledged to its sender is on two disks. Ids this server is not waiting for
 * are ignored.
 */
public record StoredCopies(List<Long> ids) implements PeerFrame {

  /** The most ids in one frame: far below the frame size limit (20 characters each). */
  public static final int MAX_IDS = 1024;

  public StoredCopies {
    ids = List.copyOf(ids);
    if (ids.isEmpty() || ids.size() > MAX_IDS) {
      throw new IllegalArgumentException("1 to " + MAX_IDS + " ids, was " + ids.size());
    }
  }
}
