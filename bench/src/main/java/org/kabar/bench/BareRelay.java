package org.kabar.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kabar.protocol.auth.SealedBox;
import org.kabar.protocol.client.ClientCodec;
import org.kabar.protocol.client.ClientReply;
import org.kabar.protocol.client.ClientRequest;
import org.kabar.protocol.client.Command;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.protocol.client.Request;

/**
 * The baseline: a bare UDP relay in plain Java NIO that speaks just enough of the client protocol
 * for the benchmark's scenarios (AUTH, PROVE, REGISTER, SEND, ACK, LIVE). It receives a datagram,
 * looks the recipient up in a map and forwards the message: no persistence, no retransmission, no
 * application server, one thread.
 *
 * <p>{@code java -cp … org.kabar.bench.BareRelay HOST PORT}
 */
public final class BareRelay {

  private final DatagramChannel channel;
  private static final String RELAY_NONCE = "relay-nonce-0123456789";
  private static final String NO_KEY = Base64.getEncoder().encodeToString(new byte[32]);
  private static final String NODE_KEY =
      Base64.getEncoder().encodeToString(SealedBox.NodeKey.generate().publicKey());
  private static final String SALT = Base64.getEncoder().encodeToString(new byte[16]);

  private final Map<String, String> userOfToken = new HashMap<>();
  private final Map<String, String> userOfNonce = new HashMap<>();
  private final Map<String, SocketAddress> addressOfUser = new HashMap<>();
  private final SecureRandom random = new SecureRandom();
  private long nextId = 1;

  BareRelay(InetSocketAddress bind) throws IOException {
    channel = DatagramChannel.open();
    channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 8 << 20);
    channel.bind(bind);
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: BareRelay HOST PORT");
      System.exit(2);
    }
    BareRelay relay = new BareRelay(new InetSocketAddress(args[0], Integer.parseInt(args[1])));
    System.out.println("bare relay listening on " + args[0] + ":" + args[1]);
    relay.serve();
  }

  void serve() throws IOException {
    ByteBuffer in = ByteBuffer.allocateDirect(ClientCodec.MAX_DATAGRAM_BYTES + 1);
    while (channel.isOpen()) {
      in.clear();
      SocketAddress from = channel.receive(in);
      in.flip();
      ClientRequest decoded;
      try {
        decoded = ClientCodec.decode(in);
      } catch (RuntimeException malformed) {
        continue;
      }
      if (decoded instanceof Request request) {
        handle(request, from);
      }
    }
  }

  private void handle(Request request, SocketAddress from) throws IOException {
    long seq = request.seq();
    Command command = request.command();
    if (command instanceof Command.Auth auth) {
      // a challenge of the right shape; the relay checks no proof (it keeps no accounts)
      String nonce = auth.clientNonce() + RELAY_NONCE;
      userOfNonce.put(nonce, auth.username());
      send(
          from,
          new ClientReply.AuthChallenge(
              seq, nonce, NODE_KEY, ClientReply.AuthChallenge.Mode.SCRAM, SALT, 1024));
    } else if (command instanceof Command.Register) {
      send(from, new ClientReply.Done(seq, "REGISTER"));
    } else if (command instanceof Command.Prove prove) {
      String username = userOfNonce.remove(prove.nonce());
      if (username == null) {
        send(from, ClientReply.ErrorReply.of(seq, ErrorCode.LOGIN_EXPIRED));
        return;
      }
      byte[] raw = new byte[16];
      random.nextBytes(raw);
      String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
      userOfToken.put(token, username);
      addressOfUser.put(username, from);
      send(from, new ClientReply.LoggedIn(seq, token, NO_KEY, List.of(), 0));
    } else {
      String user = request.token() == null ? null : userOfToken.get(request.token());
      if (user == null) {
        send(from, ClientReply.ErrorReply.of(seq, ErrorCode.BAD_SESSION));
      } else if (command instanceof Command.Send s) {
        long id = nextId++;
        send(from, new ClientReply.Sent(seq, id));
        SocketAddress to = addressOfUser.get(s.to());
        if (to != null) {
          send(to, new ClientReply.Delivery(id, user, s.to(), Instant.now(), s.text()));
        }
      } else {
        send(from, new ClientReply.Done(seq, command.verb()));
      }
    }
  }

  private void send(SocketAddress to, ClientReply reply) throws IOException {
    channel.send(ByteBuffer.wrap(ClientCodec.encode(reply)), to);
  }
}
