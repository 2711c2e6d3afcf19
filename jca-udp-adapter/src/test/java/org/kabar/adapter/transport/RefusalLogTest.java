package org.kabar.adapter.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class RefusalLogTest {

  private final List<String> lines = new ArrayList<>();
  private final AtomicLong now = new AtomicLong();
  private final Logger logger = Logger.getAnonymousLogger();

  RefusalLogTest() {
    logger.setUseParentHandlers(false);
    logger.addHandler(
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            lines.add(record.getMessage());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        });
  }

  @Test
  void aFloodOfRefusalsLogsAFewLinesASecondAndCountsTheRest() {
    RefusalLog log = new RefusalLog(logger, 5, now::get);
    for (int i = 0; i < 10_000; i++) {
      log.warning("peer /10.0.0." + (i % 250) + ":4000 refused: bad-length");
    }
    assertEquals(5, lines.size(), "one second's worth");
    now.addAndGet(1_000_000_000L);
    log.warning("peer /10.0.0.1:4000 refused: bad-key");
    assertEquals(6, lines.size());
    assertTrue(lines.get(5).endsWith("(9995 more refusals before it not logged)"), lines.get(5));
    log.warning("peer /10.0.0.1:4000 refused: bad-key");
    assertEquals("peer /10.0.0.1:4000 refused: bad-key", lines.get(6), "counted once only");
  }
}
