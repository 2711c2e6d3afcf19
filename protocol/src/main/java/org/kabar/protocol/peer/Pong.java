package org.kabar.protocol.peer;

/** {@code PONG <nonce>}: the answer to a {@link Ping}. */
public record Pong(long nonce) implements PeerFrame {}
