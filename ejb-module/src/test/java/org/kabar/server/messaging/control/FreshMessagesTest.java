package org.kabar.server.messaging.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.kabar.protocol.client.ClientReply.Delivery;

class FreshMessagesTest {

  private static Delivery message(long id) {
    return new Delivery(id, "wati", "yusuf", Instant.EPOCH, "text " + id);
  }

  @Test
  void aCommittedMessageIsTakenOnceForItsFirstPush() {
    FreshMessages fresh = new FreshMessages();
    fresh.committed(List.of(message(1), message(2)));
    assertEquals("text 1", fresh.take(1).text());
    assertNull(fresh.take(1), "a second push reads the row");
    assertNull(fresh.take(3), "never committed here");
    assertEquals(1, fresh.size());
  }

  @Test
  void theOldestGiveWayBeyondTheBound() {
    FreshMessages fresh = new FreshMessages();
    fresh.committed(
        LongStream.rangeClosed(1, FreshMessages.MOST + 10)
            .mapToObj(FreshMessagesTest::message)
            .toList());
    assertEquals(FreshMessages.MOST, fresh.size());
    assertNull(fresh.take(1), "the oldest gave way");
    assertEquals("text " + (FreshMessages.MOST + 10), fresh.take(FreshMessages.MOST + 10).text());
  }
}
