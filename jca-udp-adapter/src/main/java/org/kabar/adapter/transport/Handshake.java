package org.kabar.adapter.transport;

import org.kabar.protocol.peer.PeerKey;

/**
 * What this server needs to authenticate peer links: its node name and the deployment key (null
 * when none is configured: then no peer link is accepted or opened).
 */
public record Handshake(String node, PeerKey key) {}
