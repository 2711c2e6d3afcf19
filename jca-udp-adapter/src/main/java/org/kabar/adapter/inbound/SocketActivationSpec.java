package org.kabar.adapter.inbound;

import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;

/**
 * What both activation specs share: no properties of their own, because the sockets are configured
 * on the resource adapter; the subclass names the listener contract it binds.
 */
public abstract class SocketActivationSpec implements ActivationSpec {

  private ResourceAdapter resourceAdapter;

  @Override
  public void validate() throws InvalidPropertyException {
    // nothing to validate: the adapter validates the socket settings when it starts
  }

  @Override
  public ResourceAdapter getResourceAdapter() {
    return resourceAdapter;
  }

  @Override
  public void setResourceAdapter(ResourceAdapter resourceAdapter) {
    this.resourceAdapter = resourceAdapter;
  }
}
