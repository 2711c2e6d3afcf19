package org.kabar.server.gateway.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.kabar.protocol.client.ClientReply.Done;
import org.kabar.server.gateway.control.ReplyCache.Answered;
import org.kabar.server.gateway.control.ReplyCache.Fresh;
import org.kabar.server.gateway.control.ReplyCache.InProgress;

class ReplyCacheTest {

  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.9", 40000);
  private static final InetSocketAddress OTHER = new InetSocketAddress("127.0.0.9", 40001);

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  private final ReplyCache cache = new ReplyCache();

  {
    cache.ticker = nanos::get;
  }

  private void served(long session, long seq) {
    assertInstanceOf(Fresh.class, cache.begin(session, seq));
    cache.finish(session, seq, new Done(seq, "LIVE"), CLIENT);
  }

  @Test
  void aRetransmissionIsAnsweredWithTheFirstReplyAndWhereItWent() {
    assertInstanceOf(Fresh.class, cache.begin(1, 7));
    assertInstanceOf(InProgress.class, cache.begin(1, 7), "a copy while the first is served");
    cache.finish(1, 7, new Done(7, "LIVE"), CLIENT);

    Answered again = assertInstanceOf(Answered.class, cache.begin(1, 7));
    assertEquals(new Done(7, "LIVE"), again.reply());
    assertEquals(CLIENT, again.sentTo());
    assertInstanceOf(Fresh.class, cache.begin(2, 7), "another session's number is its own");
  }

  @Test
  void aWithheldReplyIsRememberedAsNotSent() {
    cache.begin(1, 8);
    cache.finish(1, 8, new Done(8, "LIST"), null);
    assertNull(assertInstanceOf(Answered.class, cache.begin(1, 8)).sentTo());
  }

  @Test
  void aSessionsRepliesGoWhenItEnds() {
    served(3, 1);
    served(3, 2);
    cache.forget(3);
    assertInstanceOf(Fresh.class, cache.begin(3, 1));
    assertInstanceOf(Fresh.class, cache.begin(3, 2));
  }

  @Test
  void repliesAreKeptTwoMinutes() {
    served(4, 1);
    nanos.addAndGet(ReplyCache.KEEP.toNanos() / 2);
    served(4, 2);
    nanos.addAndGet(ReplyCache.KEEP.toNanos() / 2 + 1); // the first is past two minutes
    assertInstanceOf(Fresh.class, cache.begin(4, 1));
    assertInstanceOf(Answered.class, cache.begin(4, 2));
  }

  @Test
  void aSessionKeepsItsNewestRepliesOnly() {
    for (int seq = 1; seq <= ReplyCache.PER_SESSION + 10; seq++) {
      served(5, seq);
    }
    assertInstanceOf(Fresh.class, cache.begin(5, 1), "the oldest gave way");
    assertInstanceOf(Answered.class, cache.begin(5, ReplyCache.PER_SESSION + 10));
  }

  @Test
  void requestsWithoutASessionAreKeptBySenderAddress() {
    assertInstanceOf(Fresh.class, cache.begin(CLIENT, 9));
    cache.finish(CLIENT, 9, new Done(9, "REGISTER"));
    assertInstanceOf(Answered.class, cache.begin(CLIENT, 9));
    assertInstanceOf(Fresh.class, cache.begin(OTHER, 9), "a forged repeat from elsewhere is new");
    nanos.addAndGet(ReplyCache.KEEP.toNanos() + 1);
    assertInstanceOf(Fresh.class, cache.begin(CLIENT, 9));
  }

  @Test
  void anAbandonedRequestIsServedAfresh() {
    cache.begin(6, 9);
    cache.abandon(6, 9);
    assertInstanceOf(Fresh.class, cache.begin(6, 9));
    cache.begin(CLIENT, 9);
    cache.abandon(CLIENT, 9);
    assertInstanceOf(Fresh.class, cache.begin(CLIENT, 9));
  }
}
