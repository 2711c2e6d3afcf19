package org.kabar.adapter.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.kabar.protocol.peer.Ping;

class OutboxTest {

  @Test
  void liveFramesLeaveBeforeCatchUpAndInOrder() throws Exception {
    Outbox outbox = new Outbox(4, 4);
    assertTrue(outbox.putCatchUp(List.of(new Ping(10), new Ping(11)), 100));
    assertTrue(outbox.offerLive(List.of(new Ping(1), new Ping(2))));
    assertEquals(List.of(new Ping(1), new Ping(2), new Ping(10)), outbox.take(3));
    assertEquals(List.of(new Ping(11)), outbox.take(3));
  }

  @Test
  void aFullLiveLaneRefusesAllOrNothingAtOnce() {
    Outbox outbox = new Outbox(3, 1);
    assertTrue(outbox.offerLive(List.of(new Ping(1), new Ping(2))));
    assertFalse(outbox.offerLive(List.of(new Ping(3), new Ping(4))), "no room for both");
    assertEquals(2, outbox.depth(), "neither was queued");
    assertTrue(outbox.offerLive(List.of(new Ping(3))));
  }

  @Test
  void aCatchUpWaitsForRoomAndGivesUpAfterItsTime() throws Exception {
    Outbox outbox = new Outbox(1, 2);
    assertTrue(outbox.putCatchUp(List.of(new Ping(1), new Ping(2)), 100));
    assertFalse(outbox.putCatchUp(List.of(new Ping(3)), 50), "nobody took anything");
    CompletableFuture<Boolean> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return outbox.putCatchUp(List.of(new Ping(3), new Ping(4)), 10_000);
              } catch (InterruptedException e) {
                return false;
              }
            });
    assertEquals(List.of(new Ping(1), new Ping(2)), outbox.take(10)); // room: the caller goes on
    assertTrue(waiting.get(10, TimeUnit.SECONDS));
    assertEquals(List.of(new Ping(3), new Ping(4)), outbox.take(10));
  }

  @Test
  void closingWakesTheWriterAndRefusesMore() throws Exception {
    Outbox outbox = new Outbox(2, 2);
    CompletableFuture<List<?>> writer =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return outbox.take(10);
              } catch (InterruptedException e) {
                return null;
              }
            });
    outbox.close();
    assertEquals(List.of(), writer.get(10, TimeUnit.SECONDS), "an empty take: the writer stops");
    assertFalse(outbox.offerLive(List.of(new Ping(1))));
    assertFalse(outbox.putCatchUp(List.of(new Ping(1)), 10));
  }
}
