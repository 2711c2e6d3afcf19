package org.kabar.bench;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.kabar.protocol.client.ClientCodec;
import org.kabar.protocol.client.ClientReply;
import org.kabar.protocol.client.ClientReply.AuthChallenge;
import org.kabar.protocol.client.ClientReply.ErrorReply;
import org.kabar.protocol.client.ClientReply.LoggedIn;
import org.kabar.protocol.client.Command;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.protocol.client.LoginProofs;
import org.kabar.protocol.client.Request;

/**
 * A wrong-password flood against one node (issue 18, finding 3): a logged-in user asks {@code LIST}
 * 20 times a second, first with no flood (the baseline, same run), then while each of {@code
 * --addresses} flooders, from an address of its own, logs in with wrong proofs as fast as it is
 * answered. Prints the user's round trips (p50, p99, max), the attempts and refusals, and the
 * node's CPU (from /proc) in each phase.
 *
 * <p>{@code LoginFlood HOST:PORT --addresses N --seconds S --pid NODE-PID}
 */
public final class LoginFlood {

  private static final String PASSWORD = "flood-bench-secret";

  private LoginFlood() {}

  public static void main(String[] args) throws Exception {
    String[] hostPort = args[0].split(":");
    InetSocketAddress node = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
    int addresses = 4;
    int seconds = 20;
    long pid = 0;
    for (int i = 1; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--addresses" -> addresses = Integer.parseInt(args[i + 1]);
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        case "--pid" -> pid = Long.parseLong(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    try (Udp user = new Udp(node, "127.0.0.93")) {
      login(user, "flood-user", true);
      String token = login(user, "flood-user", false);
      Phase quiet = measure(user, token, seconds, pid, 0, node);
      Phase flooded = measure(user, token, seconds, pid, addresses, node);
      System.out.printf(
          "%-26s %8s %8s %8s %8s %10s %10s %10s%n",
          "phase", "LISTs", "p50 ms", "p99 ms", "max ms", "attempts", "refused", "node cores");
      System.out.println(quiet.line("no flood"));
      System.out.println(flooded.line("flood from " + addresses + " addresses"));
    }
  }

  record Phase(long[] roundTripsMicros, int lost, long attempts, long refused, double cores) {
    String line(String name) {
      long[] sorted = roundTripsMicros.clone();
      Arrays.sort(sorted);
      return String.format(
          "%-26s %8d %8.2f %8.2f %8.2f %10d %10d %10.2f%s",
          name,
          sorted.length,
          at(sorted, 0.50) / 1000.0,
          at(sorted, 0.99) / 1000.0,
          sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1000.0,
          attempts,
          refused,
          cores,
          lost > 0 ? "  (" + lost + " LISTs unanswered in 2 s)" : "");
    }

    private static long at(long[] sorted, double q) {
      return sorted.length == 0
          ? 0
          : sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))];
    }
  }

  private static Phase measure(
      Udp user, String token, int seconds, long pid, int addresses, InetSocketAddress node)
      throws Exception {
    AtomicBoolean on = new AtomicBoolean(true);
    AtomicLong attempts = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    List<Thread> flooders = new ArrayList<>();
    for (int a = 0; a < addresses; a++) {
      Udp flooder = new Udp(node, "127.0.94." + (a + 1));
      String name = a % 2 == 0 ? "flood-user" : "nobody" + a;
      Thread t =
          new Thread(
              () -> {
                try (flooder) {
                  while (on.get()) {
                    attempts.incrementAndGet();
                    if (wrongLogin(flooder, name) == ErrorCode.RATE_LIMITED) {
                      refused.incrementAndGet();
                    }
                  }
                } catch (IOException e) {
                  if (on.get()) {
                    System.err.println("flooder: " + e);
                  }
                }
              });
      t.setDaemon(true);
      t.start();
      flooders.add(t);
    }
    long cpuBefore = cpuTicks(pid);
    long started = System.nanoTime();
    List<Long> trips = new ArrayList<>();
    int lost = 0;
    long next = System.nanoTime();
    while (System.nanoTime() - started < seconds * 1_000_000_000L) {
      next += 50_000_000L; // 20 a second
      long seq = user.nextSeq();
      long t0 = System.nanoTime();
      user.send(new Request(seq, token, new Command.ListUsers()));
      ClientReply reply = user.replyTo(seq, 2_000);
      if (reply == null) {
        lost++;
      } else {
        trips.add((System.nanoTime() - t0) / 1000);
      }
      long wait = next - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
    }
    double elapsed = (System.nanoTime() - started) / 1e9;
    double cores = (cpuTicks(pid) - cpuBefore) / 100.0 / elapsed;
    on.set(false);
    for (Thread t : flooders) {
      t.join(5_000);
    }
    return new Phase(
        trips.stream().mapToLong(Long::longValue).toArray(),
        lost,
        attempts.get(),
        refused.get(),
        cores);
  }

  /** utime + stime of a process, in clock ticks (100 a second on Linux). */
  static long cpuTicks(long pid) throws IOException {
    if (pid <= 0) {
      return 0;
    }
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** Registers (first) or logs in the user; the token when logging in. */
  private static String login(Udp udp, String user, boolean register) throws IOException {
    String clientNonce = LoginProofs.clientNonce();
    AuthChallenge challenge = (AuthChallenge) udp.exchange(new Command.Auth(user, clientNonce));
    if (register) {
      ClientReply reply =
          udp.exchange(
              new Command.Register(
                  challenge.nonce(), LoginProofs.registration(user, PASSWORD, challenge)));
      if (reply instanceof ErrorReply e && e.code() != ErrorCode.NAME_TAKEN) {
        throw new IOException("REGISTER: " + reply);
      }
      return null;
    }
    LoginProofs.Proof proof = LoginProofs.prove(user, PASSWORD, clientNonce, challenge);
    ClientReply reply = udp.exchange(new Command.Prove(challenge.nonce(), proof.proof()));
    if (reply instanceof LoggedIn in) {
      return in.token();
    }
    throw new IOException("PROVE: " + reply);
  }

  private static ErrorCode wrongLogin(Udp from, String user) throws IOException {
    ClientReply first = from.exchange(new Command.Auth(user, LoginProofs.clientNonce()));
    if (first instanceof ErrorReply error) {
      return error.code();
    }
    byte[] proof = new byte[32];
    ThreadLocalRandom.current().nextBytes(proof);
    ClientReply second =
        from.exchange(
            new Command.Prove(
                ((AuthChallenge) first).nonce(), Base64.getEncoder().encodeToString(proof)));
    return second instanceof ErrorReply error ? error.code() : null;
  }

  /** One UDP socket speaking the client protocol. */
  private static final class Udp implements AutoCloseable {
    private final DatagramSocket socket;
    private final InetSocketAddress node;
    private long seq = ThreadLocalRandom.current().nextLong(1, 1L << 40);

    Udp(InetSocketAddress node, String local) throws IOException {
      this.node = node;
      this.socket = new DatagramSocket(new InetSocketAddress(local, 0));
    }

    long nextSeq() {
      return ++seq;
    }

    void send(Request request) throws IOException {
      byte[] bytes = ClientCodec.encodeRequest(request);
      socket.send(new DatagramPacket(bytes, bytes.length, node));
    }

    /** The reply to a request within the time, skipping anything else; null if none came. */
    ClientReply replyTo(long number, int millis) throws IOException {
      long deadline = System.nanoTime() + millis * 1_000_000L;
      byte[] buffer = new byte[2048];
      for (long left; (left = (deadline - System.nanoTime()) / 1_000_000) > 0; ) {
        socket.setSoTimeout((int) Math.max(1, left));
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
          socket.receive(packet);
        } catch (SocketTimeoutException e) {
          return null;
        }
        try {
          ClientReply reply =
              ClientCodec.decodeReply(ByteBuffer.wrap(buffer, 0, packet.getLength()));
          if (reply.seq() == number) {
            return reply;
          }
        } catch (IllegalArgumentException notAReply) {
          // a push or something else: not ours
        }
      }
      return null;
    }

    /** A request without a session, sent again after 2 s, up to 5 times. */
    ClientReply exchange(Command command) throws IOException {
      long number = nextSeq();
      for (int attempt = 0; attempt < 5; attempt++) {
        send(new Request(number, null, command));
        ClientReply reply = replyTo(number, 2_000);
        if (reply != null) {
          return reply;
        }
      }
      throw new IOException("no answer to " + command.verb() + " from " + node);
    }

    @Override
    public void close() {
      socket.close();
    }
  }
}
