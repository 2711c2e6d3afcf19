package org.kabar.adapter.api;

/**
 * Names one open TCP link to a peer server, so that a reply can go back over the link a frame came
 * in on.
 */
public record PeerLinkId(long value) {}
