package org.kabar.server.node;

import jakarta.persistence.OptimisticLockException;
import java.sql.SQLException;

/**
 * Tells the failures that mean "another transaction changed the same row first", which a caller may
 * answer by running its change again, from every other failure (a database outage, a bug), which
 * must not be retried as if it were a race.
 */
public final class ConcurrentUpdates {

  private ConcurrentUpdates() {}

  /** A row's version had moved on since it was read (JPA's optimistic lock). */
  public static boolean isOptimisticLockFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof OptimisticLockException
          || t.getClass().getName().endsWith("OptimisticLockException")) {
        return true;
      }
    }
    return false;
  }

  /** A row with the same unique key was inserted first (SQL state class 23, integrity). */
  public static boolean isDuplicateKey(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql
          && sql.getSQLState() != null
          && sql.getSQLState().startsWith("23")) {
        return true;
      }
    }
    return false;
  }
}
