package org.kabar.adapter.outbound;

import jakarta.resource.Referenceable;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import java.io.Serializable;
import javax.naming.Reference;
import org.kabar.adapter.api.MessengerConnection;
import org.kabar.adapter.api.MessengerConnectionFactory;

/** The connection factory EJBs inject; each call asks the container's pool for a handle. */
public class MessengerConnectionFactoryImpl
    implements MessengerConnectionFactory, Serializable, Referenceable {

  private static final long serialVersionUID = 1L;

  private final transient KabarManagedConnectionFactory managedFactory;
  private final transient ConnectionManager connectionManager;
  private Reference reference;

  MessengerConnectionFactoryImpl(
      KabarManagedConnectionFactory managedFactory, ConnectionManager connectionManager) {
    this.managedFactory = managedFactory;
    this.connectionManager = connectionManager;
  }

  @Override
  public MessengerConnection getConnection() throws ResourceException {
    return (MessengerConnection) connectionManager.allocateConnection(managedFactory, null);
  }

  @Override
  public void setReference(Reference reference) {
    this.reference = reference;
  }

  @Override
  public Reference getReference() {
    return reference;
  }
}
