package org.kabar.server.presence.boundary;

import java.net.InetSocketAddress;

/**
 * The authenticated sender of a request: its session and user, and the address it sends from now.
 */
public record Caller(long sessionId, String username, InetSocketAddress address) {}
