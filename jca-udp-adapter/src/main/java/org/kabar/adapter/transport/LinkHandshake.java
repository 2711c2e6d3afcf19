package org.kabar.adapter.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.kabar.protocol.peer.HandshakeDecoder;
import org.kabar.protocol.peer.HandshakeTranscript;
import org.kabar.protocol.peer.Hello;
import org.kabar.protocol.peer.LinkCiphers;
import org.kabar.protocol.peer.PeerError;
import org.kabar.protocol.peer.PeerFrame;
import org.kabar.protocol.peer.PeerFrameEncoder;
import org.kabar.protocol.peer.PeerKey;
import org.kabar.protocol.peer.PeerProtocolException;
import org.kabar.protocol.peer.Proof;
import org.kabar.protocol.peer.Welcome;

/**
 * The handshake of a new link, on either side: HELLO, WELCOME, PROOF, each proof an HMAC with the
 * deployment key over both challenges and both names; then both sides derive the link's ciphers
 * from the same four values. A HELLO or WELCOME with this server's own name or challenge is
 * refused: it is this server's own handshake sent back to it.
 */
final class LinkHandshake {

  private static final List<String> HELLO = List.of("HELLO");
  private static final List<String> PROOF = List.of("PROOF");
  private static final List<String> WELCOME = List.of("WELCOME", "ERROR");

  /** Who proved the key at the other end, and the ciphers of the link. */
  record Outcome(String peerNode, LinkCiphers ciphers) {}

  private final Handshake handshake;

  /** The challenges of this server's own dials still waiting for their WELCOME. */
  private final Set<String> ownChallenges = ConcurrentHashMap.newKeySet();

  LinkHandshake(Handshake handshake) {
    this.handshake = handshake;
  }

  /**
   * The accepting side: expects HELLO, answers WELCOME with its own proof, checks the PROOF.
   *
   * @throws PeerProtocolException if the peer sends anything else or cannot prove the key
   */
  Outcome accept(InputStream in, OutputStream out) throws IOException, PeerProtocolException {
    HandshakeDecoder decoder = new HandshakeDecoder(in);
    Hello hello = (Hello) decoder.next(HELLO);
    PeerKey key = handshake.key();
    if (key == null) {
      throw new PeerProtocolException(
          "no-key", "this server has no cluster key: it takes no peers");
    }
    if (hello.node().equals(handshake.node()) || ownChallenges.contains(hello.nonce())) {
      throw new PeerProtocolException(
          "reflected", "the HELLO carries this server's own name or challenge");
    }
    String nonce = PeerKey.nonce();
    HandshakeTranscript link =
        new HandshakeTranscript(hello.nonce(), nonce, hello.node(), handshake.node());
    write(out, new Welcome(handshake.node(), nonce, key.welcomeMac(link)));
    Proof proof = (Proof) decoder.next(PROOF);
    if (!PeerKey.same(key.proofMac(link), proof.mac())) {
      throw new PeerProtocolException("bad-key", "the peer does not hold the deployment key");
    }
    return new Outcome(hello.node(), key.acceptorCiphers(link));
  }

  /**
   * The opening side: sends HELLO, checks the WELCOME's proof, answers PROOF.
   *
   * @throws IOException if the peer refuses, answers garbage or cannot prove the key
   */
  Outcome dial(InputStream in, OutputStream out, InetSocketAddress remote) throws IOException {
    PeerKey key = handshake.key();
    if (key == null) {
      throw new IOException("no cluster key configured: this server cannot reach peers");
    }
    String nonce = PeerKey.nonce();
    ownChallenges.add(nonce);
    try {
      write(out, new Hello(handshake.node(), nonce));
      PeerFrame answer;
      try {
        answer = new HandshakeDecoder(in).next(WELCOME);
      } catch (PeerProtocolException e) {
        throw new IOException("peer " + remote + " answered garbage: " + e.getMessage(), e);
      }
      if (answer instanceof PeerError refused) {
        throw new IOException(
            "peer " + remote + " refused the link: " + refused.code() + " " + refused.text());
      }
      Welcome welcome = (Welcome) answer;
      if (welcome.node().equals(handshake.node())) {
        throw new IOException(
            "peer "
                + remote
                + " answered with this server's own name: its own handshake sent"
                + " back, or two servers of one name");
      }
      HandshakeTranscript link =
          new HandshakeTranscript(nonce, welcome.nonce(), handshake.node(), welcome.node());
      if (!PeerKey.same(key.welcomeMac(link), welcome.mac())) {
        throw new IOException("peer " + remote + " does not hold the deployment key");
      }
      write(out, new Proof(key.proofMac(link)));
      return new Outcome(welcome.node(), key.openerCiphers(link));
    } finally {
      ownChallenges.remove(nonce);
    }
  }

  /** Writes a plain frame: the handshake's, or a refusal before any key is shared. */
  static void write(OutputStream out, PeerFrame frame) throws IOException {
    ByteBuffer encoded = PeerFrameEncoder.encode(frame);
    out.write(encoded.array(), 0, encoded.limit());
    out.flush();
  }
}
