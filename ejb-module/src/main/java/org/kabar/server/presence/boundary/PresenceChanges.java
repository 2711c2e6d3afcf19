package org.kabar.server.presence.boundary;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Collects changes of who is online that other servers report, and tells the users connected here
 * at most once a second: a catch-up of thousands of rows makes one notice, not thousands.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class PresenceChanges {

  private final AtomicBoolean pending = new AtomicBoolean();

  @EJB PresenceNotices notices;

  /** Someone logged in or out at another server. */
  public void changed() {
    pending.set(true);
  }

  @Schedule(second = "*", minute = "*", hour = "*", persistent = false)
  void tell() {
    if (pending.getAndSet(false)) {
      notices.onlineChanged();
    }
  }
}
