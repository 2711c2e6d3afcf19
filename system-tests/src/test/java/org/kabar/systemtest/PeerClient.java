package org.kabar.systemtest;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.kabar.protocol.peer.HandshakeTranscript;
import org.kabar.protocol.peer.Hello;
import org.kabar.protocol.peer.LinkCiphers;
import org.kabar.protocol.peer.PeerFrame;
import org.kabar.protocol.peer.PeerFrameDecoder;
import org.kabar.protocol.peer.PeerFrameEncoder;
import org.kabar.protocol.peer.PeerKey;
import org.kabar.protocol.peer.PeerProtocolException;
import org.kabar.protocol.peer.Proof;
import org.kabar.protocol.peer.SealedFrameDecoder;
import org.kabar.protocol.peer.SealedFrameEncoder;
import org.kabar.protocol.peer.Welcome;

/**
 * A test peer speaking the peer protocol over a real TCP connection: the handshake, then sealed
 * frames, with the protocol module's own codecs.
 */
public final class PeerClient implements AutoCloseable {

  private final Socket socket;
  private final OutputStream out;
  private final PeerFrameDecoder decoder;
  private SealedFrameEncoder sealer;
  private SealedFrameDecoder opener;

  public PeerClient(String host, int port) throws IOException {
    this(null, 0, host, port);
  }

  /** Connects from a chosen local address (null: the one the system picks). */
  public PeerClient(String sourceHost, int sourcePort, String host, int port) throws IOException {
    socket = new Socket();
    if (sourceHost != null) {
      socket.bind(new InetSocketAddress(sourceHost, sourcePort));
    }
    socket.connect(new InetSocketAddress(host, port), 3_000);
    socket.setSoTimeout(5_000);
    out = socket.getOutputStream();
    decoder = new PeerFrameDecoder(socket.getInputStream());
  }

  /**
   * Proves the deployment key as a peer server would (HELLO, WELCOME, PROOF); every frame after it
   * is sealed with the link's keys, by the protocol module's codecs.
   *
   * @return the node's name, once it proved the key in turn
   * @throws AssertionError if the node did not prove the key
   */
  public String handshake(String node, String key) throws IOException, PeerProtocolException {
    PeerKey peerKey = new PeerKey(key);
    String nonce = PeerKey.nonce();
    send(new Hello(node, nonce));
    PeerFrame answer = receive();
    if (!(answer instanceof Welcome welcome)) {
      throw new AssertionError("expected WELCOME, got " + answer);
    }
    HandshakeTranscript link =
        new HandshakeTranscript(nonce, welcome.nonce(), node, welcome.node());
    if (!PeerKey.same(peerKey.welcomeMac(link), welcome.mac())) {
      throw new AssertionError("the node did not prove the key");
    }
    send(new Proof(peerKey.proofMac(link)));
    LinkCiphers ciphers = peerKey.openerCiphers(link);
    sealer = new SealedFrameEncoder(ciphers.sending());
    opener = new SealedFrameDecoder(socket.getInputStream(), ciphers.receiving());
    return welcome.node();
  }

  /** Sends a frame: plain before the handshake, sealed after it. */
  public void send(PeerFrame frame) throws IOException {
    ByteBuffer encoded = sealer == null ? PeerFrameEncoder.encode(frame) : sealer.encode(frame);
    out.write(encoded.array(), 0, encoded.limit());
    out.flush();
  }

  public void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Receives a frame: plain before the handshake, sealed after it. */
  public PeerFrame receive() throws IOException, PeerProtocolException {
    return opener == null ? decoder.next() : opener.next();
  }

  /** True once the node has closed the connection. */
  public boolean closedByPeer() throws IOException {
    try {
      return socket.getInputStream().read() < 0;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  /**
   * Reads and discards what the node still sends (a refusal) until it closes the connection.
   *
   * @throws java.net.SocketTimeoutException if the node keeps it open for 5 s without a word
   */
  public void awaitClosed() throws IOException {
    byte[] discard = new byte[8192];
    try {
      while (socket.getInputStream().read(discard) >= 0) {
        // a refusal the node sent before closing
      }
    } catch (java.net.SocketException reset) {
      // closed with our bytes unread: a reset
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
