package org.kabar.protocol.peer;

/**
 * {@code PING <nonce>}: is the peer alive (seed S3.1)? Answered by a {@link Pong} with the same
 * nonce.
 */
public record Ping(long nonce) implements PeerFrame {}
