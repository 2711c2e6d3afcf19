package org.kabar.server.gateway.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.kabar.protocol.client.ClientReply;
import org.kabar.protocol.client.ClientReply.Done;
import org.kabar.server.gateway.control.ReplyCache.Answered;
import org.kabar.server.gateway.control.ReplyCache.Fresh;
import org.kabar.server.gateway.control.ReplyCache.InProgress;
import org.kabar.server.gateway.control.ReplyCache.Key;

class ReplyCacheTest {

  private final AtomicLong now = new AtomicLong(1_000_000);

  private final ReplyCache cache = new ReplyCache();

  {
    cache.clock = now::get;
  }

  private void served(Key key, ClientReply reply) {
    assertInstanceOf(Fresh.class, cache.begin(key));
    cache.finish(key, reply);
  }

  @Test
  void aRetransmissionIsAnsweredWithTheFirstReply() {
    Key key = new Key("token", 7);
    assertInstanceOf(Fresh.class, cache.begin(key));
    assertInstanceOf(InProgress.class, cache.begin(key), "a copy while the first is served");
    cache.finish(key, new Done(7, "LIVE"));

    Answered again = assertInstanceOf(Answered.class, cache.begin(key));
    assertEquals(new Done(7, "LIVE"), again.reply());
  }

  @Test
  void repliesAreKeptTwoMinutesThenDroppedAsNewOnesArrive() {
    served(new Key("a", 1), new Done(1, "LIVE"));
    now.addAndGet(60_000);
    served(new Key("a", 2), new Done(2, "LIVE"));
    now.addAndGet(ReplyCache.KEEP_MILLIS - 60_000 + 1); // the first is past two minutes
    served(new Key("b", 1), new Done(1, "LIVE"));

    assertEquals(2, cache.size(), "the first reply is gone, the two later ones are kept");
    assertInstanceOf(Fresh.class, cache.begin(new Key("a", 1)));
    assertInstanceOf(Answered.class, cache.begin(new Key("a", 2)));
  }

  @Test
  void anAbandonedRequestIsServedAfresh() {
    Key key = new Key("token", 9);
    cache.begin(key);
    cache.abandon(key);
    assertInstanceOf(Fresh.class, cache.begin(key));
  }
}
