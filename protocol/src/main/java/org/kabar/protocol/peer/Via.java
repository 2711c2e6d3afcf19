package org.kabar.protocol.peer;

import java.util.List;
import java.util.Objects;

/**
 * {@code VIA <node>[,<node>...] <copy>}: a copy that servers pass on (seed S3.8: {@code MSG},
 * {@code SESSION}, {@code CHANNEL}, {@code MEMBER}) with the names of the servers it is sent to.
 * The first name is the server where the update began, the names after it the servers it sent the
 * update to (every one of them passes on a share of the servers not named); a server passing it on
 * names every server it knows of, so the update stops at the next hop: each update reaches each
 * server once.
 *
 * @param reached node names, the origin first
 */
public record Via(List<String> reached, PeerFrame frame) implements PeerFrame {

  /** Most names one frame may carry. */
  public static final int MAX_NODES = 1024;

  public Via {
    reached = List.copyOf(reached);
    Objects.requireNonNull(frame);
    if (reached.isEmpty() || reached.size() > MAX_NODES || !carries(frame)) {
      throw new IllegalArgumentException("VIA names 1 to " + MAX_NODES + " servers and a copy");
    }
  }

  /** Whether a frame is a copy that servers pass on, and so may travel inside {@code VIA}. */
  public static boolean carries(PeerFrame frame) {
    return frame instanceof MessageRecord
        || frame instanceof SessionRecord
        || frame instanceof ChannelRecord
        || frame instanceof MemberRecord;
  }
}
