package org.kabar.server.presence.boundary;

import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells the users connected here who is online when that changes (seed S2.5), at most once a
 * second: the first change after a quiet second is told at once, and the changes that follow within
 * the second are told together at its end. Every change goes through here: logins, logouts,
 * expiries, kicks, takeovers and those other servers report. Telling everyone at every login made a
 * login storm cost n²/2 pushes; now a second of logins costs one push per user online.
 *
 * <p>A notice never runs on the caller's thread nor on the timer's: it is handed to the container's
 * executor, one at a time (a change while one is being told is told by the next), so that a login's
 * thread goes back to the logins and a notice to thousands, spread over part of its second ({@link
 * PresenceNotices#onlineChanged}), holds up nothing but the next notice.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class PresenceChanges {

  /** The shortest time between two notices. */
  static final long INTERVAL_MILLIS = 1_000;

  private final AtomicBoolean pending = new AtomicBoolean();

  private final AtomicLong lastToldAt = new AtomicLong();

  private final AtomicBoolean telling = new AtomicBoolean();

  private static final Logger LOG = Logger.getLogger(PresenceChanges.class.getName());

  @Resource ManagedExecutorService executor;

  @EJB PresenceNotices notices;

  /**
   * Someone logged in or out: told at once if nothing was told this second. Only for callers
   * outside any transaction (the gateway after its reply): the notice reads the sessions on another
   * thread, which would not see a change the caller has not committed yet.
   */
  public void changed() {
    long now = System.currentTimeMillis();
    long last = lastToldAt.get();
    if (now - last >= INTERVAL_MILLIS && lastToldAt.compareAndSet(last, now)) {
      pending.set(false);
      tellInBackground();
    } else {
      pending.set(true); // told at the end of the second, with whatever else changed
    }
  }

  /**
   * Someone logged in or out, told within a second: for callers that may hold a transaction
   * (timers, the console, other servers' copies).
   */
  public void changedSoon() {
    pending.set(true);
  }

  @Schedule(second = "*", minute = "*", hour = "*", persistent = false)
  void tell() {
    if (!telling.get() && pending.getAndSet(false)) {
      lastToldAt.set(System.currentTimeMillis());
      tellInBackground();
    }
  }

  private void tellInBackground() {
    if (!telling.compareAndSet(false, true)) {
      pending.set(true); // told by the next tick, once this notice is out
      return;
    }
    try {
      executor.execute(
          () -> {
            try {
              notices.onlineChanged();
            } catch (RuntimeException e) {
              LOG.log(Level.WARNING, "the online notice failed; the next change tells again", e);
            } finally {
              telling.set(false);
            }
          });
    } catch (RejectedExecutionException e) {
      telling.set(false);
      pending.set(true);
    }
  }
}
