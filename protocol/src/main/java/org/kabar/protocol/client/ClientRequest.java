package org.kabar.protocol.client;

/** A decoded client datagram. */
public sealed interface ClientRequest permits LiveCheck, InvalidRequest, Request {}
