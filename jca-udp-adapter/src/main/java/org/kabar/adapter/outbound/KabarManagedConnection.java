package org.kabar.adapter.outbound;

import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.security.auth.Subject;
import javax.transaction.xa.XAResource;
import org.kabar.adapter.KabarResourceAdapter;
import org.kabar.adapter.NodeSockets;

/**
 * A pooled connection to the adapter's sockets. It holds no socket of its own: every handle sends
 * through the adapter's shared sockets, so replies leave from the client port.
 */
final class KabarManagedConnection implements ManagedConnection {

  private final KabarResourceAdapter resourceAdapter;
  private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
  private final List<MessengerConnectionImpl> handles = new CopyOnWriteArrayList<>();
  private PrintWriter logWriter;

  KabarManagedConnection(KabarResourceAdapter resourceAdapter) {
    this.resourceAdapter = resourceAdapter;
  }

  NodeSockets sockets() throws ResourceException {
    return resourceAdapter.requireStarted();
  }

  @Override
  public Object getConnection(Subject subject, ConnectionRequestInfo info) {
    MessengerConnectionImpl handle = new MessengerConnectionImpl(this);
    handles.add(handle);
    return handle;
  }

  /** Called by a handle when the application closes it: returns this connection to the pool. */
  void closed(MessengerConnectionImpl handle) {
    handles.remove(handle);
    ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_CLOSED);
    event.setConnectionHandle(handle);
    listeners.forEach(listener -> listener.connectionClosed(event));
  }

  @Override
  public void associateConnection(Object connection) throws ResourceException {
    if (!(connection instanceof MessengerConnectionImpl handle)) {
      throw new ResourceException("not a Kabar connection handle");
    }
    handle.associate(this);
    handles.add(handle);
  }

  void dissociate(MessengerConnectionImpl handle) {
    handles.remove(handle);
  }

  @Override
  public void cleanup() {
    handles.forEach(MessengerConnectionImpl::invalidate);
    handles.clear();
  }

  @Override
  public void destroy() {
    cleanup();
  }

  @Override
  public void addConnectionEventListener(ConnectionEventListener listener) {
    listeners.add(listener);
  }

  @Override
  public void removeConnectionEventListener(ConnectionEventListener listener) {
    listeners.remove(listener);
  }

  @Override
  public XAResource getXAResource() throws ResourceException {
    throw new NotSupportedException("Kabar connections are not transactional");
  }

  @Override
  public LocalTransaction getLocalTransaction() throws ResourceException {
    throw new NotSupportedException("Kabar connections are not transactional");
  }

  @Override
  public ManagedConnectionMetaData getMetaData() {
    return new ManagedConnectionMetaData() {
      @Override
      public String getEISProductName() {
        return "Kabar sockets";
      }

      @Override
      public String getEISProductVersion() {
        return "1.0";
      }

      @Override
      public int getMaxConnections() {
        return 0; // no limit of the sockets' own
      }

      @Override
      public String getUserName() {
        return null;
      }
    };
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    this.logWriter = out;
  }

  @Override
  public PrintWriter getLogWriter() {
    return logWriter;
  }
}
