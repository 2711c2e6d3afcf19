package org.kabar.server.node;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;

/**
 * Whether the node's web module (the console, its servlets) has started. Payara calls the readiness
 * check while the application is still deploying, a moment before the web module serves: until the
 * web module says so here, the node is not ready.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class WebModuleStart {

  private volatile boolean started;

  /** Called by the web module once its servlets are initialised. */
  public void started() {
    started = true;
  }

  public boolean isStarted() {
    return started;
  }
}
