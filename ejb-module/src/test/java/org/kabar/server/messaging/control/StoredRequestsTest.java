package org.kabar.server.messaging.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StoredRequestsTest {

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private StoredRequests requests;

  @BeforeEach
  void create() {
    requests = new StoredRequests();
    requests.ticker = nanos::get;
  }

  private void pass(long seconds) {
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
  }

  @Test
  void aStoredRequestIsFoundWithAllItsMessagesInIdOrder() {
    requests.loaded();
    requests.stored(7, 3, 12);
    requests.stored(7, 3, 11); // a channel's second row, learnt later
    requests.stored(7, 3, 12); // the same row again, from a copy
    requests.stored(7, 4, 13);

    assertArrayEquals(new long[] {11, 12}, requests.find(7, 3).orElseThrow());
    assertArrayEquals(new long[] {13}, requests.find(7, 4).orElseThrow());
    assertTrue(requests.find(7, 5).isEmpty(), "a new request");
    assertTrue(requests.find(8, 3).isEmpty(), "another session's sequence number");
  }

  @Test
  void aRequestIsForgottenOnlyAfterLongerThanAClientRetransmits() {
    requests.loaded();
    requests.stored(7, 1, 21);
    pass(60); // a client gives up after about 45 s
    assertTrue(requests.find(7, 1).isPresent());
    pass(StoredRequests.KEEP.toSeconds());
    assertTrue(requests.find(7, 1).isEmpty());
  }

  @Test
  void aSessionKeepsItsNewestRequestsWithinItsBound() {
    requests.loaded();
    for (int seq = 1; seq <= StoredRequests.PER_SESSION + 10; seq++) {
      requests.stored(7, seq, 1000 + seq);
    }
    assertTrue(requests.find(7, 10).isEmpty(), "among the oldest");
    assertTrue(requests.find(7, 11).isPresent());
    assertTrue(requests.find(7, StoredRequests.PER_SESSION + 10).isPresent());
    assertEquals(StoredRequests.PER_SESSION, requests.size());
  }

  @Test
  void theConsolesNoticesAreNotRequests() {
    requests.loaded();
    requests.stored(0, 0, 31);
    assertEquals(0, requests.size());
  }

  @Test
  void aSessionFromElsewhereIsUnfamiliarForAWhile() {
    requests.loaded();
    assertFalse(requests.unfamiliar(7, true), "begun here: every request passed here");
    assertTrue(requests.unfamiliar(8, false), "first heard of now");
    pass(StoredRequests.KEEP.toSeconds() - 1);
    requests.stored(8, 1, 41); // busy all along
    assertTrue(requests.unfamiliar(8, false));
    pass(2);
    assertFalse(requests.unfamiliar(8, false), "known here for longer than a retransmission");
  }

  @Test
  void lookupsWaitUntilTheStartsRowsAreIn() throws Exception {
    CompletableFuture<Boolean> lookup =
        CompletableFuture.supplyAsync(() -> requests.find(7, 1).isPresent());
    requests.stored(7, 1, 51); // the start's rows
    assertFalse(lookup.isDone(), "still waiting");
    requests.loaded();
    assertTrue(lookup.get(10, TimeUnit.SECONDS), "found among the start's rows");
  }
}
