package org.kabar.protocol.client;

/** A reply or push from the server to a client, encoded by {@link ClientCodec#encode}. */
public sealed interface ClientReply permits Alive, ErrorReply {}
