package org.kabar.adapter.inbound;

import jakarta.resource.spi.Activation;
import org.kabar.adapter.api.PeerFrameListener;

/** Binds a message-driven bean implementing {@link PeerFrameListener} to the peer TCP socket. */
@Activation(messageListeners = PeerFrameListener.class)
public class PeerFrameActivationSpec extends SocketActivationSpec {}
