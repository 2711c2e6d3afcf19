package org.kabar.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How the console shows times: to the second, in UTC, the same on every node. */
@Named("fmt")
@ApplicationScoped
public class Formats {

  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  /** A time as {@code 2026-11-26 22:45:25 UTC}; empty for none. */
  public String when(Instant instant) {
    return instant == null ? "" : WHEN.format(instant);
  }
}
