package org.kabar.protocol.client;

/** {@code yes}: the answer to {@link LiveCheck}. */
public record Alive() implements ClientReply {}
