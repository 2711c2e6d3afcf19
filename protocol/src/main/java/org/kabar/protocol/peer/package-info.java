/**
 * Server-to-server protocol: length-prefixed UTF-8 frames over TCP, decoded by {@link
 * org.kabar.protocol.peer.PeerFrameDecoder} into {@link org.kabar.protocol.peer.PeerFrame} records
 * and encoded by {@link org.kabar.protocol.peer.PeerFrameEncoder}.
 */
package org.kabar.protocol.peer;
