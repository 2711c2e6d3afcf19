package org.kabar.protocol.client;

/**
 * {@code /@live?}: the client asks whether its server is alive (seed S3.7); answered {@code yes}.
 */
public record LiveCheck() implements ClientRequest {}
