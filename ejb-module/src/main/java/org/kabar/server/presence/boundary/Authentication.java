package org.kabar.server.presence.boundary;

/**
 * A request's session, found by its token.
 *
 * @param takenOver whether this server just took the session over from another one (the client
 *     failed over, seed S3.7), so the other servers must be told and its offline messages pushed
 */
public record Authentication(Caller caller, boolean takenOver) {}
