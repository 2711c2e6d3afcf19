package org.kabar.protocol.client;

/** A decoded client datagram: one command of the client protocol. */
public sealed interface ClientRequest permits LiveCheck, InvalidRequest {}
