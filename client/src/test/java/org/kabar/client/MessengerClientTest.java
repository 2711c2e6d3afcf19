package org.kabar.client;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.kabar.protocol.auth.Scram;
import org.kabar.protocol.auth.SealedBox;
import org.kabar.protocol.client.ClientCodec;
import org.kabar.protocol.client.ClientReply;
import org.kabar.protocol.client.ClientReply.AuthChallenge;
import org.kabar.protocol.client.ClientReply.Delivery;
import org.kabar.protocol.client.ClientReply.LoggedIn;
import org.kabar.protocol.client.Command;
import org.kabar.protocol.client.LoginProofs;
import org.kabar.protocol.client.Request;
import org.kabar.protocol.client.RetryHint;

/** The client against a scripted server on a real loopback socket. */
class MessengerClientTest {

  private static final String TOKEN = "AbCdEfGhIjKlMnOpQrStUv";

  private static final Scram.Keys CITRA = Scram.keysFor("secret-123", Scram.MIN_ITERATIONS);

  private static final String NODE_KEY = Scram.base64(SealedBox.NodeKey.generate().publicKey());

  /**
   * Plays the server's side of the login exchange: answers the AUTH with CITRA's salt, and returns
   * the PROVE with what a genuine server would sign its login reply with.
   */
  private record Proving(DatagramPacket packet, Request request, String signature) {}

  private static Proving answerAuth(DatagramSocket server) throws IOException {
    DatagramPacket packet = receive(server);
    Request auth = request(packet);
    Command.Auth command = assertInstanceOf(Command.Auth.class, auth.command());
    String nonce = command.clientNonce() + "scripted-server-nonce";
    AuthChallenge challenge =
        new AuthChallenge(
            auth.seq(),
            nonce,
            NODE_KEY,
            AuthChallenge.Mode.SCRAM,
            Scram.base64(CITRA.salt()),
            CITRA.iterations());
    send(server, packet.getSocketAddress(), challenge);
    DatagramPacket provePacket = receive(server);
    Request prove = request(provePacket);
    Command.Prove proof = assertInstanceOf(Command.Prove.class, prove.command());
    String message = LoginProofs.authMessage(command.username(), command.clientNonce(), challenge);
    assertTrue(
        Scram.verify(CITRA.storedKey(), message, Scram.fromBase64(proof.proof())),
        "the client proves the password");
    return new Proving(
        provePacket, prove, Scram.base64(Scram.serverSignature(CITRA.serverKey(), message)));
  }

  private static LoggedIn loggedIn(Proving proving) {
    return new LoggedIn(proving.request().seq(), TOKEN, proving.signature(), List.of("citra"), 0);
  }

  @Test
  void theLoginProvesThePasswordWithoutSendingIt() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (DatagramSocket server = new DatagramSocket(0, loopback)) {
      server.setSoTimeout(5_000);
      InetSocketAddress address = new InetSocketAddress(loopback, server.getLocalPort());
      try (MessengerClient client =
          new MessengerClient(List.of(address), Backoff.DEFAULT, push -> {}, true)) {
        CompletableFuture<LoggedIn> login = inBackground(() -> client.login("citra", "secret-123"));
        Proving proving = answerAuth(server);
        for (DatagramPacket sent : List.of(proving.packet())) {
          String wire = new String(sent.getData(), 0, sent.getLength(), StandardCharsets.UTF_8);
          assertFalse(wire.contains("secret-123"), wire);
        }
        send(server, proving.packet().getSocketAddress(), loggedIn(proving));
        assertEquals(TOKEN, login.get(5, SECONDS).token());
      }
    }
  }

  @Test
  void aWrongPasswordIsNotRememberedForTheNextTry() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (DatagramSocket server = new DatagramSocket(0, loopback)) {
      server.setSoTimeout(5_000);
      InetSocketAddress address = new InetSocketAddress(loopback, server.getLocalPort());
      try (MessengerClient client =
          new MessengerClient(List.of(address), Backoff.DEFAULT, push -> {}, true)) {
        CompletableFuture<LoggedIn> wrong = inBackground(() -> client.login("citra", "typo-123x"));
        DatagramPacket packet = receive(server);
        Request auth = request(packet);
        Command.Auth command = assertInstanceOf(Command.Auth.class, auth.command());
        send(
            server,
            packet.getSocketAddress(),
            new AuthChallenge(
                auth.seq(),
                command.clientNonce() + "scripted-server-nonce",
                NODE_KEY,
                AuthChallenge.Mode.SCRAM,
                Scram.base64(CITRA.salt()),
                CITRA.iterations()));
        DatagramPacket provePacket = receive(server);
        send(
            server,
            provePacket.getSocketAddress(),
            ClientReply.ErrorReply.of(
                request(provePacket).seq(), org.kabar.protocol.client.ErrorCode.WRONG_CREDENTIALS));
        ExecutionException refused =
            assertThrows(ExecutionException.class, () -> wrong.get(5, SECONDS));
        assertInstanceOf(RefusedException.class, refused.getCause());

        // the same salt again, the right password: keys derived afresh, the proof is right
        CompletableFuture<LoggedIn> right = inBackground(() -> client.login("citra", "secret-123"));
        Proving proving = answerAuth(server);
        send(server, proving.packet().getSocketAddress(), loggedIn(proving));
        assertEquals(TOKEN, right.get(5, SECONDS).token());
      }
    }
  }

  @Test
  void aServerThatCannotProveItHoldsTheAccountIsNotTrusted() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (DatagramSocket server = new DatagramSocket(0, loopback)) {
      server.setSoTimeout(5_000);
      InetSocketAddress address = new InetSocketAddress(loopback, server.getLocalPort());
      try (MessengerClient client =
          new MessengerClient(List.of(address), Backoff.DEFAULT, push -> {}, true)) {
        CompletableFuture<LoggedIn> login = inBackground(() -> client.login("citra", "secret-123"));
        Proving proving = answerAuth(server);
        LoggedIn forged =
            new LoggedIn(proving.request().seq(), TOKEN, Scram.base64(new byte[32]), List.of(), 0);
        send(server, proving.packet().getSocketAddress(), forged);
        ExecutionException refused =
            assertThrows(ExecutionException.class, () -> login.get(5, SECONDS));
        assertTrue(refused.getCause().getMessage().contains("impostor"), refused.getMessage());
        assertFalse(client.loggedIn(), "no session with an impostor");
      }
    }
  }

  @Test
  void anAddressCheckIsAnsweredWithItsChallenge() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (DatagramSocket server = new DatagramSocket(0, loopback)) {
      server.setSoTimeout(5_000);
      InetSocketAddress address = new InetSocketAddress(loopback, server.getLocalPort());
      try (MessengerClient client =
          new MessengerClient(List.of(address), Backoff.DEFAULT, push -> {}, true)) {
        CompletableFuture<LoggedIn> login = inBackground(() -> client.login("citra", "secret-123"));
        Proving proving = answerAuth(server);
        SocketAddress from = proving.packet().getSocketAddress();
        send(server, from, loggedIn(proving));
        login.get(5, SECONDS);
        send(server, from, new ClientReply.AddressCheck("AbCdEfGhIjKlMn_-"));
        Request answer = request(receive(server));
        assertEquals(new Command.Check("AbCdEfGhIjKlMn_-"), answer.command());
        assertEquals(TOKEN, answer.token());
      }
    }
  }

  @Test
  void aSendRefusedBusyGoesAgainAfterTheWaitTheServerNamed() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (DatagramSocket server = new DatagramSocket(0, loopback)) {
      server.setSoTimeout(5_000);
      InetSocketAddress address = new InetSocketAddress(loopback, server.getLocalPort());
      try (MessengerClient client =
          new MessengerClient(List.of(address), Backoff.DEFAULT, push -> {}, true)) {
        CompletableFuture<LoggedIn> login = inBackground(() -> client.login("citra", "secret-123"));
        Proving proving = answerAuth(server);
        SocketAddress from = proving.packet().getSocketAddress();
        send(server, from, loggedIn(proving));
        login.get(5, SECONDS);

        CompletableFuture<Long> sent = inBackground(() -> client.send("budi", "halo"));
        Request first = request(receive(server));
        assertEquals(new Command.Send("budi", "halo"), first.command());
        send(server, from, RetryHint.busy(first.seq(), 300));
        long refusedAt = System.nanoTime();
        Request again = request(receive(server));
        long waitedMillis = (System.nanoTime() - refusedAt) / 1_000_000;
        assertEquals(first.command(), again.command(), "the same message again");
        assertEquals(first.seq(), again.seq(), "the same request: stored once, whatever happened");
        assertTrue(waitedMillis >= 300, "sent again after the wait named, not " + waitedMillis);
        assertFalse(sent.isDone(), "the caller is not told of the refusal");
        send(server, from, new ClientReply.Sent(again.seq(), 77));
        assertEquals(77L, sent.get(5, SECONDS));
      }
    }
  }

  @Test
  void aPushThatOvertakesTheLoginReplyIsAcknowledgedOnceTheTokenComes() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (DatagramSocket server = new DatagramSocket(0, loopback)) {
      server.setSoTimeout(5_000);
      BlockingQueue<ClientReply> shown = new LinkedBlockingQueue<>();
      InetSocketAddress address = new InetSocketAddress(loopback, server.getLocalPort());
      try (MessengerClient client =
          new MessengerClient(List.of(address), Backoff.DEFAULT, shown::add, true)) {
        CompletableFuture<LoggedIn> login = inBackground(() -> client.login("citra", "secret-123"));
        Proving proving = answerAuth(server);
        DatagramPacket packet = proving.packet();

        // a message stored just then reaches the new session before the reply to LOGIN does
        Delivery early =
            new Delivery(42, "dewi", "citra", Instant.ofEpochSecond(1_800_000_000), "hello");
        send(server, packet.getSocketAddress(), early);
        send(server, packet.getSocketAddress(), loggedIn(proving));
        assertEquals(TOKEN, login.get(5, SECONDS).token());

        Request ack = request(receive(server));
        assertEquals(new Command.Ack(42), ack.command(), "the early push is acknowledged");
        assertEquals(TOKEN, ack.token(), "with the session's token");
        assertEquals(early, shown.poll(5, SECONDS), "and shown");

        // the same push again (its acknowledgement crossed it): acknowledged, not shown twice
        send(server, packet.getSocketAddress(), early);
        assertEquals(new Command.Ack(42), request(receive(server)).command());
        assertNull(shown.poll(300, MILLISECONDS));
      }
    }
  }

  @Test
  void aLogoutSendsAnUnansweredAcknowledgementAgainBeforeItEndsTheSession() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (DatagramSocket server = new DatagramSocket(0, loopback)) {
      server.setSoTimeout(5_000);
      InetSocketAddress address = new InetSocketAddress(loopback, server.getLocalPort());
      try (MessengerClient client =
          new MessengerClient(List.of(address), Backoff.DEFAULT, push -> {}, true)) {
        CompletableFuture<LoggedIn> login = inBackground(() -> client.login("citra", "secret-123"));
        Proving proving = answerAuth(server);
        SocketAddress from = proving.packet().getSocketAddress();
        send(server, from, loggedIn(proving));
        login.get(5, SECONDS);
        send(server, from, new Delivery(7, "dewi", "citra", Instant.ofEpochSecond(1), "hai"));
        Request ack = request(receive(server));
        assertEquals(new Command.Ack(7), ack.command());

        // that acknowledgement is lost: the logout sends it again, same number, before LOGOUT
        CompletableFuture<Object> logout =
            inBackground(
                () -> {
                  client.logout();
                  return null;
                });
        Request again = request(receive(server));
        assertEquals(ack, again, "the same acknowledgement, sent again");
        send(server, from, new ClientReply.Done(again.seq(), "ACK"));
        Request bye = request(receive(server));
        assertInstanceOf(Command.Logout.class, bye.command(), "then the logout");
        send(server, from, new ClientReply.Done(bye.seq(), "LOGOUT"));
        logout.get(5, SECONDS);
      }
    }
  }

  /** Runs a call of the client on another thread, while the test plays the server. */
  private static <T> CompletableFuture<T> inBackground(Callable<T> call) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return call.call();
          } catch (Exception e) {
            throw new CompletionException(e);
          }
        });
  }

  private static DatagramPacket receive(DatagramSocket server) throws IOException {
    DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
    try {
      server.receive(packet);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the client sent nothing", e);
    }
    return packet;
  }

  private static Request request(DatagramPacket packet) {
    return (Request) ClientCodec.decode(Arrays.copyOf(packet.getData(), packet.getLength()));
  }

  private static void send(DatagramSocket server, SocketAddress to, ClientReply reply)
      throws IOException {
    byte[] bytes = ClientCodec.encode(reply);
    server.send(new DatagramPacket(bytes, bytes.length, to));
  }
}
