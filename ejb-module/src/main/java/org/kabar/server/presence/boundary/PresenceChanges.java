package org.kabar.server.presence.boundary;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells the users connected here who is online when that changes (seed S2.5), at most once a
 * second: the first change after a quiet second is told at once, and the changes that follow within
 * the second are told together at its end. Every change goes through here: logins, logouts,
 * expiries, kicks, takeovers and those other servers report. Telling everyone at every login made a
 * login storm cost n²/2 pushes; now a second of logins costs one push per user online.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class PresenceChanges {

  /** The shortest time between two notices. */
  static final long INTERVAL_MILLIS = 1_000;

  private final AtomicBoolean pending = new AtomicBoolean();

  private final AtomicLong lastToldAt = new AtomicLong();

  @EJB PresenceNotices notices;

  /**
   * Someone logged in or out: told at once if nothing was told this second. Only for callers
   * outside any transaction (the gateway after its reply): the notice reads the sessions, and a
   * caller's transaction holding a changed row would make it wait.
   */
  public void changed() {
    long now = System.currentTimeMillis();
    long last = lastToldAt.get();
    if (now - last >= INTERVAL_MILLIS && lastToldAt.compareAndSet(last, now)) {
      pending.set(false);
      notices.onlineChanged();
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
    if (pending.getAndSet(false)) {
      lastToldAt.set(System.currentTimeMillis());
      notices.onlineChanged();
    }
  }
}
