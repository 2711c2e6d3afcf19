package org.kabar.server.messaging.boundary;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

/**
 * The courier's timer: every second, the pushes whose time has come are sent again. A pass that
 * outlasts its second does not hold up the next: each takes the seconds not yet taken, and the
 * courier locks each outbox on its own.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Retransmissions {

  @Inject Courier courier;

  @Schedule(second = "*", minute = "*", hour = "*", persistent = false)
  void retransmit() {
    courier.retransmit();
  }
}
