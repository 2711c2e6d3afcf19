package org.kabar.adapter.inbound;

import jakarta.resource.spi.Activation;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;
import org.kabar.adapter.api.ClientDatagramListener;

/** Binds a message-driven bean implementing {@link ClientDatagramListener} to the UDP socket. */
@Activation(messageListeners = ClientDatagramListener.class)
public class ClientDatagramActivationSpec implements ActivationSpec {

  private ResourceAdapter resourceAdapter;

  @Override
  public void validate() throws InvalidPropertyException {
    // no properties: the socket is configured on the resource adapter
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
