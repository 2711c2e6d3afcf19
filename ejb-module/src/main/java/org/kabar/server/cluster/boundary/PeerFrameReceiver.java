package org.kabar.server.cluster.boundary;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.util.List;
import org.kabar.adapter.api.PeerFrameListener;
import org.kabar.adapter.api.PeerMessage;
import org.kabar.server.node.NodeResources;

/** Receives frames from peer servers, a batch at a time, and hands them to the peer exchange. */
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
  public void onFrames(List<PeerMessage> messages) {
    exchange.handleAll(messages);
  }
}
