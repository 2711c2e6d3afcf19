package org.kabar.protocol.peer;

import java.util.Objects;

/**
 * {@code CHANNEL <name> <creator> <created-ms>}: a channel exists. Sent when it is created and to a
 * server catching up. Two servers that created one name at once keep the earlier channel (then the
 * smaller creator name), alike everywhere.
 */
public record ChannelRecord(String name, String creator, long createdAtMillis)
    implements PeerFrame {
  public ChannelRecord {
    Objects.requireNonNull(name);
    Objects.requireNonNull(creator);
  }
}
