package org.kabar.adapter.api;

import jakarta.resource.ResourceException;

/** Outbound connection factory of the adapter, injected into EJBs with {@code @Resource}. */
public interface MessengerConnectionFactory {

  /** A connection to the adapter's sockets; close it when done (try-with-resources). */
  MessengerConnection getConnection() throws ResourceException;
}
