package org.kabar.adapter.outbound;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionDefinition;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;
import java.io.PrintWriter;
import java.util.Set;
import javax.security.auth.Subject;
import org.kabar.adapter.KabarResourceAdapter;
import org.kabar.adapter.api.MessengerConnection;
import org.kabar.adapter.api.MessengerConnectionFactory;

/** Creates the managed connections behind {@link MessengerConnectionFactory}. */
@ConnectionDefinition(
    connectionFactory = MessengerConnectionFactory.class,
    connectionFactoryImpl = MessengerConnectionFactoryImpl.class,
    connection = MessengerConnection.class,
    connectionImpl = MessengerConnectionImpl.class)
public class KabarManagedConnectionFactory
    implements ManagedConnectionFactory, ResourceAdapterAssociation {

  private static final long serialVersionUID = 1L;

  private transient KabarResourceAdapter resourceAdapter;
  private transient PrintWriter logWriter;

  @Override
  public Object createConnectionFactory(ConnectionManager connectionManager) {
    return new MessengerConnectionFactoryImpl(this, connectionManager);
  }

  @Override
  public Object createConnectionFactory() throws ResourceException {
    throw new ResourceException("Kabar connections are only available inside the container");
  }

  @Override
  public ManagedConnection createManagedConnection(Subject subject, ConnectionRequestInfo info)
      throws ResourceException {
    if (resourceAdapter == null) {
      throw new ResourceException("no resource adapter associated");
    }
    return new KabarManagedConnection(resourceAdapter);
  }

  @Override
  @SuppressWarnings("rawtypes")
  public ManagedConnection matchManagedConnections(
      Set connections, Subject subject, ConnectionRequestInfo info) {
    // all connections are alike: any pooled one will do
    for (Object candidate : connections) {
      if (candidate instanceof KabarManagedConnection connection) {
        return connection;
      }
    }
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    this.logWriter = out;
  }

  @Override
  public PrintWriter getLogWriter() {
    return logWriter;
  }

  @Override
  public ResourceAdapter getResourceAdapter() {
    return resourceAdapter;
  }

  @Override
  public void setResourceAdapter(ResourceAdapter resourceAdapter) {
    this.resourceAdapter = (KabarResourceAdapter) resourceAdapter;
  }

  // Equal when bound to the same adapter: there are no other settings.
  @Override
  public boolean equals(Object other) {
    return other instanceof KabarManagedConnectionFactory that
        && that.resourceAdapter == resourceAdapter;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(resourceAdapter);
  }
}
