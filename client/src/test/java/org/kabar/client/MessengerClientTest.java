package org.kabar.client;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.kabar.protocol.client.ClientCodec;
import org.kabar.protocol.client.ClientReply;
import org.kabar.protocol.client.ClientReply.Delivery;
import org.kabar.protocol.client.ClientReply.LoggedIn;
import org.kabar.protocol.client.Command;
import org.kabar.protocol.client.Request;

/** The client against a scripted server on a real loopback socket. */
class MessengerClientTest {

  private static final String TOKEN = "AbCdEfGhIjKlMnOpQrStUv";

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
        DatagramPacket packet = receive(server);
        Request request = request(packet);
        assertInstanceOf(Command.Login.class, request.command());

        // a message stored just then reaches the new session before the reply to LOGIN does
        Delivery early =
            new Delivery(42, "dewi", "citra", Instant.ofEpochSecond(1_800_000_000), "hello");
        send(server, packet.getSocketAddress(), early);
        send(
            server,
            packet.getSocketAddress(),
            new LoggedIn(request.seq(), TOKEN, List.of("citra"), 0));
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
        DatagramPacket packet = receive(server);
        SocketAddress from = packet.getSocketAddress();
        send(server, from, new LoggedIn(request(packet).seq(), TOKEN, List.of("citra"), 0));
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
