package org.kabar.server.gateway.boundary;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import org.kabar.adapter.api.ClientDatagram;
import org.kabar.adapter.api.ClientDatagramListener;
import org.kabar.server.node.NodeResources;

/** Receives each client datagram from the resource adapter and hands it to the gateway. */
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
}
