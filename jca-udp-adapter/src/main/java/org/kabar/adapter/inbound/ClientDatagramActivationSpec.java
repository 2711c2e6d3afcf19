package org.kabar.adapter.inbound;

import jakarta.resource.spi.Activation;
import org.kabar.adapter.api.ClientDatagramListener;

/** Binds a message-driven bean implementing {@link ClientDatagramListener} to the UDP socket. */
@Activation(messageListeners = ClientDatagramListener.class)
public class ClientDatagramActivationSpec extends SocketActivationSpec {}
