package org.kabar.protocol.peer;

/**
 * {@code SYNC <since-ms>}: asks a peer for every account, Connected row and message that changed at
 * or after a time, so a server that was down or cut off catches up; 0 asks for everything.
 */
public record SyncRequest(long sinceMillis) implements PeerFrame {
  public SyncRequest {
    if (sinceMillis < 0) {
      throw new IllegalArgumentException("negative time");
    }
  }
}
