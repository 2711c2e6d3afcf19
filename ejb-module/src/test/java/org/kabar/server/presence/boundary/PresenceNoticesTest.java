package org.kabar.server.presence.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How a notice to everyone is spread: slices, and the pause between two. */
class PresenceNoticesTest {

  @Test
  void aNoticeThatFitsOneSliceIsSentWithoutPause() {
    assertEquals(0, PresenceNotices.pauseNanos(0));
    assertEquals(0, PresenceNotices.pauseNanos(1));
    assertEquals(0, PresenceNotices.pauseNanos(PresenceNotices.SLICE));
  }

  @Test
  void aFewSlicesPauseTheLongestPause() {
    assertEquals(
        PresenceNotices.PAUSE_AT_MOST_NANOS, PresenceNotices.pauseNanos(PresenceNotices.SLICE + 1));
  }

  @Test
  void thousandsOfSessionsAreSpreadOverNoMoreThanTheSpread() {
    for (int sessions : new int[] {10_000, 100_000, 1_000_000}) {
      int slices = (sessions + PresenceNotices.SLICE - 1) / PresenceNotices.SLICE;
      long pause = PresenceNotices.pauseNanos(sessions);
      assertTrue(pause > 0, "a pause between slices for " + sessions);
      assertTrue(
          pause * (slices - 1) <= PresenceNotices.SPREAD_NANOS,
          sessions + " sessions: " + pause * (slices - 1) + " ns of pauses");
    }
  }
}
