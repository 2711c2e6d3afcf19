/**
 * Server-to-server protocol: length-prefixed UTF-8 frames over TCP. A link starts with a short
 * plain handshake ({@link org.kabar.protocol.peer.HandshakeDecoder}, proofs by {@link
 * org.kabar.protocol.peer.PeerKey}); every frame after it is sealed ({@link
 * org.kabar.protocol.peer.SealedFrameEncoder}, {@link org.kabar.protocol.peer.SealedFrameDecoder}).
 * Bodies are decoded by {@link org.kabar.protocol.peer.PeerFrameDecoder} into {@link
 * org.kabar.protocol.peer.PeerFrame} records and encoded by {@link
 * org.kabar.protocol.peer.PeerFrameEncoder}.
 */
package org.kabar.protocol.peer;
