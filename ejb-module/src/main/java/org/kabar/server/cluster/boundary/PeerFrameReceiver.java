package org.kabar.server.cluster.boundary;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import org.kabar.adapter.api.PeerFrameListener;
import org.kabar.adapter.api.PeerMessage;
import org.kabar.server.node.NodeResources;

/** Receives each frame from a peer server and hands it to the peer exchange. */
@MessageDriven(
    messageListenerInterface = PeerFrameListener.class,
    activationConfig =
        @ActivationConfigProperty(
            propertyName = "resourceAdapter",
            propertyValue = NodeResources.RESOURCE_ADAPTER))
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class PeerFrameReceiver implements PeerFrameListener {

  @EJB PeerExchange exchange;

  @Override
  public void onFrame(PeerMessage message) {
    exchange.handle(message);
  }
}
