package org.kabar.server.accounts.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.kabar.server.node.AfterTransaction;
import org.kabar.server.node.NodeSettings;

/**
 * The user names known to be registered, so that a SEND's recipient check costs no query. Only
 * presence is remembered: a name not here is looked up in the User table as before.
 *
 * <p>The one way an account goes is {@code Accounts.remove}, which calls {@link #changed()}: that
 * forgets every name, now and again once its transaction has ended, and a name read before a change
 * is never remembered (each read carries the generation it started at). With a database shared by
 * several servers another server can remove an account unseen, so the set is off there.
 */
@ApplicationScoped
public class KnownUsers {

  /** The most names remembered; beyond it, names are looked up each time. */
  static final int MOST = 200_000;

  private final AtomicLong generation = new AtomicLong();

  private final Set<String> known = ConcurrentHashMap.newKeySet();

  @Resource TransactionSynchronizationRegistry transactions;

  @Inject NodeSettings settings;

  /** The generation to pass to {@link #remember} for a read that starts now. */
  public long generation() {
    return generation.get();
  }

  /** Whether the name is known to be registered; false means "look it up". */
  public boolean known(String username) {
    return known.contains(username);
  }

  /** Remembers a name found registered by a read that started at {@code readAt}. */
  public void remember(String username, long readAt) {
    if (!settings.embeddedDatabase() || readAt != generation.get() || known.size() >= MOST) {
      return;
    }
    known.add(username);
    if (generation.get() != readAt) {
      known.remove(username); // a change came between the check and the add
    }
  }

  /** An account is going: forget every name, now and once the transaction has ended. */
  public void changed() {
    forget();
    AfterTransaction.run(transactions, this::forget);
  }

  private void forget() {
    generation.incrementAndGet();
    known.clear();
  }
}
