package org.kabar.systemtest;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.kabar.protocol.client.ClientCodec;
import org.kabar.protocol.client.ClientReply;
import org.kabar.protocol.client.ClientReply.AuthChallenge;
import org.kabar.protocol.client.ClientReply.LoggedIn;
import org.kabar.protocol.client.Command;
import org.kabar.protocol.client.LoginProofs;
import org.kabar.protocol.client.Request;
import org.kabar.protocol.client.RetryHint;

/** A test client speaking the client protocol over a real UDP socket. */
public final class UdpClient implements AutoCloseable {

  private final DatagramSocket socket;
  private final InetSocketAddress server;

  public UdpClient(String host, int port) throws IOException {
    this(host, port, new DatagramSocket());
  }

  /** A client sending from a chosen local address, e.g. another 127.0.0.x. */
  public UdpClient(String host, int port, String localAddress) throws IOException {
    this(host, port, new DatagramSocket(new InetSocketAddress(localAddress, 0)));
  }

  private UdpClient(String host, int port, DatagramSocket socket) throws IOException {
    this.socket = socket;
    this.server = new InetSocketAddress(host, port);
    socket.setReceiveBufferSize(8 * 1024 * 1024);
    socket.setSoTimeout(2_000);
  }

  public void send(String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    socket.send(new DatagramPacket(bytes, bytes.length, server));
  }

  /** The next datagram's text, or null if none arrives within the timeout. */
  public String receive() throws IOException {
    DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
    try {
      socket.receive(packet);
    } catch (SocketTimeoutException e) {
      return null;
    }
    return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
  }

  /** Sends and waits for the reply, retrying a few times as a real client would. */
  public String request(String text) throws IOException {
    for (int attempt = 0; attempt < 5; attempt++) {
      send(text);
      String reply = receive();
      if (reply != null) {
        return reply;
      }
    }
    return null;
  }

  private final AtomicLong seq = new AtomicLong(ThreadLocalRandom.current().nextLong(1, 1L << 40));

  /** The server's address this client sends to. */
  public InetSocketAddress server() {
    return server;
  }

  /** A fresh sequence number for a request of this client. */
  public long nextSeq() {
    return seq.incrementAndGet();
  }

  /**
   * Sends a request and returns its decoded reply (retrying), skipping pushes; a request refused
   * {@code ERR 507 busy} goes again after the wait the server named, as the protocol asks.
   */
  public ClientReply exchange(String token, Command command) throws IOException {
    long number = nextSeq();
    byte[] bytes = ClientCodec.encodeRequest(new Request(number, token, command));
    int busy = 0;
    for (int attempt = 0; attempt < 5; attempt++) {
      socket.send(new DatagramPacket(bytes, bytes.length, server));
      for (String reply = receive(); reply != null; reply = receive()) {
        ClientReply decoded = decode(reply);
        if (decoded == null || decoded.seq() != number) {
          continue;
        }
        OptionalLong hint = RetryHint.millis(decoded);
        if (hint.isEmpty() || ++busy > 10) {
          return decoded;
        }
        pause(hint.getAsLong());
        attempt = -1; // a refusal is an answer: the retransmissions start again
        break;
      }
    }
    throw new IOException("no answer to " + command.verb());
  }

  private static void pause(long millis) throws IOException {
    try {
      Thread.sleep(millis); // the protocol's backoff, not a wait for a condition
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** The challenge of the login exchange for a user, from this socket. */
  public AuthChallenge challenge(String user, String clientNonce) throws IOException {
    ClientReply reply = exchange(null, new Command.Auth(user, clientNonce));
    if (reply instanceof AuthChallenge challenge) {
      return challenge;
    }
    throw new IOException("AUTH got " + reply);
  }

  /** Registers over this raw socket, as another client implementation would; the reply. */
  public ClientReply register(String user, String password) throws IOException {
    AuthChallenge challenge = challenge(user, LoginProofs.clientNonce());
    return exchange(
        null,
        new Command.Register(
            challenge.nonce(), LoginProofs.registration(user, password, challenge)));
  }

  /** Logs in over this raw socket (AUTH, then PROVE); returns the session's token. */
  public String login(String user, String password) throws IOException {
    String clientNonce = LoginProofs.clientNonce();
    AuthChallenge challenge = challenge(user, clientNonce);
    LoginProofs.Proof proof = LoginProofs.prove(user, password, clientNonce, challenge);
    ClientReply reply = exchange(null, new Command.Prove(challenge.nonce(), proof.proof()));
    if (reply instanceof LoggedIn loggedIn && proof.serverProved(loggedIn.serverSignature())) {
      return loggedIn.token();
    }
    throw new IOException("PROVE got " + reply);
  }

  /** A datagram's text decoded as a reply, or null if it is none. */
  public static ClientReply decode(String text) {
    try {
      return ClientCodec.decodeReply(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    } catch (IllegalArgumentException notAReply) {
      return null;
    }
  }

  public DatagramSocket socket() {
    return socket;
  }

  @Override
  public void close() {
    socket.close();
  }
}
