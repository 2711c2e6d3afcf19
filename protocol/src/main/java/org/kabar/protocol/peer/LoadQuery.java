package org.kabar.protocol.peer;

/** {@code LOAD?}: asks a server for its {@link Load}, for the web console's overview. */
public record LoadQuery() implements PeerFrame {}
