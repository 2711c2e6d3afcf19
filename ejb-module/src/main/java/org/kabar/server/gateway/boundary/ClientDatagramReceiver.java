package org.kabar.server.gateway.boundary;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.List;
import org.kabar.adapter.api.ClientDatagram;
import org.kabar.adapter.api.ClientDatagramListener;
import org.kabar.server.node.NodeResources;

/**
 * Receives the client datagrams from the resource adapter, one at a time or in batches, and hands
 * them to the gateway.
 */
@MessageDriven(
    messageListenerInterface = ClientDatagramListener.class,
    activationConfig =
        @ActivationConfigProperty(
            propertyName = "resourceAdapter",
            propertyValue = NodeResources.RESOURCE_ADAPTER))
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ClientDatagramReceiver implements ClientDatagramListener {

  @Inject ClientGateway gateway;

  @Override
  public void onDatagram(ClientDatagram datagram) {
    gateway.serve(datagram);
  }

  @Override
  public void onDatagrams(List<ClientDatagram> datagrams) {
    gateway.serveAll(datagrams);
  }
}
