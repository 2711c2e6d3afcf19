package org.kabar.server.presence.control;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.kabar.server.presence.control.OnlineSnapshot.Names;

class OnlineSnapshotTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
  private final OnlineSnapshot snapshot = new OnlineSnapshot(now::get);

  private static Names online(long total) {
    return new Names(List.of("ayu", "budi"), total);
  }

  @Test
  void withFewOnlineTheListIsAlwaysReadAfresh() {
    snapshot.taken(600, online(OnlineSnapshot.EXACT_BELOW - 1));
    assertNull(snapshot.reuse(600), "a small deployment sees every login at once");
  }

  @Test
  void withManyOnlineAListLessThanASecondOldStandsIn() {
    Names many = online(10_000);
    snapshot.taken(600, many);
    now.addAndGet(OnlineSnapshot.FRESH_NANOS - 1);
    assertSame(many, snapshot.reuse(600));
    assertNull(snapshot.reuse(8), "a list of another length is not reused");
  }

  @Test
  void aStaleListIsReadByOneCallerWhileTheOthersTakeTheLastOne() {
    Names many = online(10_000);
    snapshot.taken(600, many);
    now.addAndGet(OnlineSnapshot.FRESH_NANOS);
    assertNull(snapshot.reuse(600), "the first caller reads a new list");
    assertSame(many, snapshot.reuse(600), "the others meanwhile take the last one");
    Names newer = online(10_001);
    snapshot.taken(600, newer);
    assertSame(newer, snapshot.reuse(600));
  }

  @Test
  void afterAFailedReadTheNextCallerReadsAgain() {
    snapshot.taken(600, online(10_000));
    now.addAndGet(OnlineSnapshot.FRESH_NANOS);
    assertNull(snapshot.reuse(600));
    snapshot.failed();
    assertNull(snapshot.reuse(600), "not left waiting for a read that will not come");
  }

  @Test
  void nothingIsReusedBeforeTheFirstRead() {
    assertNull(snapshot.reuse(600));
  }
}
