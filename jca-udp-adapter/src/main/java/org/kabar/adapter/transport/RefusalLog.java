package org.kabar.adapter.transport;

import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logs what peers are refused, at most a few lines a second whatever strangers send: the lines left
 * out are counted, and the next line logged says how many.
 */
final class RefusalLog {

  private static final long SECOND_NANOS = 1_000_000_000L;

  private final Logger log;
  private final int perSecond;
  private final LongSupplier nanoTime;
  private long windowStart;
  private int inWindow;
  private long suppressed;

  RefusalLog(Logger log, int perSecond) {
    this(log, perSecond, System::nanoTime);
  }

  RefusalLog(Logger log, int perSecond, LongSupplier nanoTime) {
    this.log = log;
    this.perSecond = perSecond;
    this.nanoTime = nanoTime;
    this.windowStart = nanoTime.getAsLong();
  }

  /** Logs a refusal as a warning, unless this second's lines are spent. */
  void warning(String message) {
    log(Level.WARNING, message);
  }

  /** Logs a refusal as information, unless this second's lines are spent. */
  void info(String message) {
    log(Level.INFO, message);
  }

  private void log(Level level, String message) {
    if (!log.isLoggable(level)) {
      return;
    }
    long left;
    synchronized (this) {
      long now = nanoTime.getAsLong();
      if (now - windowStart >= SECOND_NANOS) {
        windowStart = now;
        inWindow = 0;
      }
      if (inWindow >= perSecond) {
        suppressed++;
        return;
      }
      inWindow++;
      left = suppressed;
      suppressed = 0;
    }
    log.log(
        level,
        left == 0 ? message : message + " (" + left + " more refusals before it not logged)");
  }
}
