package org.kabar.server.presence.boundary;

/**
 * A request's session, found by its token.
 *
 * @param takenOver whether this server just took the session over from another one (the client
 *     failed over, seed S3.7), so the other servers must be told and its offline messages pushed
 * @param fromItsAddress whether the request came from the address the session's client proved it
 *     receives at; if not, nothing larger than the request may go back there until an address check
 *     from there succeeds
 */
public record Authentication(Caller caller, boolean takenOver, boolean fromItsAddress) {}
