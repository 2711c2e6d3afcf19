package org.kabar.server.node;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/** Runs something again once the caller's transaction has ended, if one is active. */
public final class AfterTransaction {

  private AfterTransaction() {}

  /**
   * Runs {@code action} once the current transaction has committed (not if it rolls back); at once
   * outside a transaction.
   */
  public static void onCommit(TransactionSynchronizationRegistry transactions, Runnable action) {
    if (!active(transactions)) {
      action.run();
      return;
    }
    register(transactions, true, action);
  }

  /**
   * Registers {@code action} to run when the current transaction ends, committed or not; does
   * nothing outside a transaction (or without a registry, as in unit tests).
   */
  public static void run(TransactionSynchronizationRegistry transactions, Runnable action) {
    if (active(transactions)) {
      register(transactions, false, action);
    }
  }

  private static boolean active(TransactionSynchronizationRegistry transactions) {
    return transactions != null && transactions.getTransactionStatus() == Status.STATUS_ACTIVE;
  }

  private static void register(
      TransactionSynchronizationRegistry transactions, boolean onlyIfCommitted, Runnable action) {
    transactions.registerInterposedSynchronization(
        new Synchronization() {
          @Override
          public void beforeCompletion() {
            // nothing: only the end matters
          }

          @Override
          public void afterCompletion(int status) {
            if (!onlyIfCommitted || status == Status.STATUS_COMMITTED) {
              action.run();
            }
          }
        });
  }
}
