package org.kabar.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.HdrHistogram.Histogram;
import org.kabar.protocol.auth.Scram;
import org.kabar.protocol.client.ClientCodec;
import org.kabar.protocol.client.ClientReply;
import org.kabar.protocol.client.Command;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.protocol.client.LoginProofs;
import org.kabar.protocol.client.Request;
import org.kabar.protocol.client.RetryHint;
import org.kabar.protocol.client.SessionProofs;

/**
 * Simulated clients speaking the real protocol, each with its own UDP socket, driven by one
 * selector thread: pairs of users where one sends to the other, as fast as the server accepts (a
 * window of requests in flight per sender) or at a fixed total rate. Every accepted message id is
 * checked off when its recipient receives it; the delivery latency (send to receipt, one clock)
 * goes into an HdrHistogram.
 *
 * <p>Given several servers, the pairs are spread over them with sender and recipient on different
 * servers, and the clients fail over as the real client does: to the server a {@code MOVED} names
 * (its proof checked), or to the next server of their list when a request stays unanswered for the
 * alive interval, resending under the same sequence numbers. A server can be killed ({@code kill
 * -9}) in the middle of the run: the run then measures how long until each of its clients is served
 * again, and counts messages lost or shown twice.
 */
final class LoadGenerator {

  /** What a run measured. */
  record Result(
      String label,
      double seconds,
      long sent,
      long accepted,
      long delivered,
      long lost,
      long repeatedPushes,
      long errors,
      long refused,
      long givenUp,
      Histogram latencyMicros,
      Histogram answeredMicros,
      List<long[]> perSecond,
      Failover failover) {

    double acceptedPerSecond() {
      return accepted / seconds;
    }

    double deliveredPerSecond() {
      return delivered / seconds;
    }
  }

  /**
   * What a kill in the middle of a run measured: the clients of the killed server, how many were
   * served again by another, the time from the kill until each was (in milliseconds), the {@code
   * MOVED} notices they got, and the messages shown twice (two ids for one message sent once).
   */
  record Failover(
      int clientsOfKilled,
      int servedAgain,
      Histogram servedAgainMillis,
      long moved,
      long shownTwice,
      long clientMoves) {}

  /** One simulated user. */
  static final class Client {
    final String name;
    final DatagramChannel channel;
    final List<InetSocketAddress> servers;
    int current;
    String token;
    long seq = 1;
    Client peer;

    /** A recipient's sender. */
    Client from;

    final Map<Long, Pending> inFlight = new HashMap<>();
    long nextSendNanos;
    long lastHeardNanos;
    boolean ofKilled;
    long servedAgainNanos;

    Client(String name, List<InetSocketAddress> servers) throws IOException {
      this(name, servers, open("127.0.0.1", 1 << 20));
    }

    /** A client on a socket of its own or shared with other idle clients. */
    Client(String name, List<InetSocketAddress> servers, DatagramChannel channel) {
      this.name = name;
      this.servers = servers;
      this.channel = channel;
    }

    static DatagramChannel open(String host, int receiveBuffer) throws IOException {
      DatagramChannel channel = DatagramChannel.open();
      if (receiveBuffer > 0) {
        channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
      }
      channel.bind(new InetSocketAddress(host, 0));
      channel.configureBlocking(false); // not connected: a MOVED comes from another server
      return channel;
    }

    InetSocketAddress server() {
      return servers.get(current);
    }

    /** Sends to another server of its list from now on. */
    void moveTo(InetSocketAddress next) {
      int index = servers.indexOf(next);
      current = index >= 0 ? index : current;
    }

    /**
     * Reads one datagram from a server of the client's list into the buffer, flipped.
     *
     * @return the server it came from, or null if nothing (else) is waiting
     */
    InetSocketAddress receive(ByteBuffer buffer) throws IOException {
      while (true) {
        buffer.clear();
        InetSocketAddress from = (InetSocketAddress) channel.receive(buffer);
        if (from == null) {
          return null;
        }
        if (servers.contains(from)) {
          buffer.flip();
          return from;
        }
      }
    }
  }

  /**
   * A SEND in flight: when it was sent last and first, and whether the server refused it busy (its
   * latency then counts from the try accepted).
   */
  private record Pending(byte[] bytes, long sentNanos, long firstSentNanos, int refusals) {
    Pending(byte[] bytes, long sentNanos, long firstSentNanos) {
      this(bytes, sentNanos, firstSentNanos, 0);
    }

    Pending sentAgain(long now) {
      return new Pending(bytes, now, firstSentNanos, refusals);
    }

    boolean refused() {
      return refusals > 0;
    }
  }

  /** Refusals after which a SEND is given up, as the reference client gives up. */
  static final int BUSY_RETRIES = 10;

  /** A SEND refused busy, due to go again at a time. */
  private record Retry(long atNanos, Client client, long seq) {}

  /**
   * How long a request may stay unanswered before a client moves to the next server of its list:
   * the clients' alive interval, as in the failover system test.
   */
  static final long ALIVE_NANOS = 6_000_000_000L;

  private final List<InetSocketAddress> servers;
  private final String label;
  private final List<Client> senders = new ArrayList<>();
  private final List<Client> clients = new ArrayList<>();
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(2048);

  LoadGenerator(InetSocketAddress server, String label) {
    this(List.of(server), label);
  }

  /** A generator whose pairs are spread over several servers of one deployment. */
  LoadGenerator(List<InetSocketAddress> servers, String label) {
    this.servers = List.copyOf(servers);
    this.label = label;
  }

  /** The servers, starting at the given one: a client's list, its own server first. */
  private List<InetSocketAddress> listFrom(int first) {
    List<InetSocketAddress> list = new ArrayList<>();
    for (int i = 0; i < servers.size(); i++) {
      list.add(servers.get((first + i) % servers.size()));
    }
    return list;
  }

  /**
   * Registers and logs in {@code pairs} senders and as many recipients; with several servers, a
   * pair's recipient is on the server after its sender's.
   */
  void connect(int pairs, String prefix) throws IOException, InterruptedException {
    for (int i = 0; i < pairs; i++) {
      Client sender = new Client(prefix + "s" + i, listFrom(i));
      Client recipient = new Client(prefix + "r" + i, listFrom(i + 1));
      sender.peer = recipient;
      recipient.from = sender;
      senders.add(sender);
      clients.add(sender);
      clients.add(recipient);
    }
    for (Client client : clients) {
      register(client);
    }
    loginNanos = logInAll(clients, 1);
  }

  private static final String PASSWORD = "bench-password-1";

  /**
   * The salt of every benchmark user: each real client picks its own at random, but one salt for
   * all lets the generator derive the keys once (one PBKDF2 at the node's cost, not one a user).
   */
  private static final byte[] SALT = Arrays.copyOf("kabar-bench-salt".getBytes(UTF_8), 16);

  /** Client keys by salt and cost: derived once. */
  private final Map<String, Scram.ClientKeys> keys = new ConcurrentHashMap<>();

  private Scram.ClientKeys keysFor(byte[] salt, int iterations) {
    return keys.computeIfAbsent(
        Scram.base64(salt) + "/" + iterations,
        k -> Scram.clientKeys(Scram.saltedPassword(PASSWORD, salt, iterations)));
  }

  /** The first step of a login or registration: the server's challenge. */
  private ClientReply.AuthChallenge challenge(Client client, String clientNonce)
      throws IOException, InterruptedException {
    ClientReply reply = exchange(client, new Command.Auth(client.name, clientNonce), null);
    if (!(reply instanceof ClientReply.AuthChallenge challenge)) {
      throw new IllegalStateException(client.name + ": AUTH got " + reply);
    }
    return challenge;
  }

  /** Registers a user; a name taken by an earlier run is fine. */
  private void register(Client client) throws IOException, InterruptedException {
    ClientReply.AuthChallenge challenge = challenge(client, LoginProofs.clientNonce());
    Scram.ClientKeys derived = keysFor(SALT, challenge.iterations());
    Scram.Keys stored =
        new Scram.Keys(SALT, challenge.iterations(), derived.storedKey(), derived.serverKey());
    ClientReply registered =
        exchange(
            client,
            new Command.Register(
                challenge.nonce(), LoginProofs.registration(client.name, stored, challenge)),
            null);
    if (!(registered instanceof ClientReply.Done)
        && !(registered instanceof ClientReply.ErrorReply e && e.code() == ErrorCode.NAME_TAKEN)) {
      throw new IllegalStateException(client.name + ": REGISTER got " + registered);
    }
  }

  /** How long the last login phase took, in nanoseconds. */
  long loginNanos;

  /**
   * While set (by another thread), each delivery's latency is also recorded in {@link #marked}: the
   * latency of the part of a run during which something else happened (a login storm).
   */
  volatile boolean marking;

  /** The latencies recorded while {@link #marking}, in microseconds; read after the run. */
  final Histogram marked = new Histogram(60_000_000L, 3);

  /**
   * Logs every client in, from {@code threads} threads at once (each logging its share in one at a
   * time): a login storm when there are many.
   *
   * @return how long it took, in nanoseconds
   */
  long logInAll(List<Client> who, int threads) throws InterruptedException {
    return inParallel(
        who,
        threads,
        "logged in",
        client -> {
          String clientNonce = LoginProofs.clientNonce();
          ClientReply.AuthChallenge challenge = challenge(client, clientNonce);
          Scram.ClientKeys derived =
              keysFor(Scram.fromBase64(challenge.salt()), challenge.iterations());
          String proof = LoginProofs.prove(client.name, derived, clientNonce, challenge).proof();
          ClientReply loggedIn =
              exchange(client, new Command.Prove(challenge.nonce(), proof), null);
          if (!(loggedIn instanceof ClientReply.LoggedIn in)) {
            throw new IllegalStateException(client.name + ": LOGIN got " + loggedIn);
          }
          client.token = in.token();
        });
  }

  /** One client's step of a setup phase. */
  private interface Step {
    void run(Client client) throws Exception;
  }

  /**
   * Runs a step for every client from {@code threads} threads, thread t taking clients t, t +
   * threads, ... one at a time (clients sharing a socket always fall to the same thread).
   *
   * @return how long it took, in nanoseconds
   */
  private long inParallel(List<Client> who, int threads, String done, Step step)
      throws InterruptedException {
    AtomicInteger count = new AtomicInteger();
    AtomicReference<Exception> failed = new AtomicReference<>();
    List<Thread> workers = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      int first = t;
      Thread worker =
          new Thread(
              () -> {
                for (int i = first; i < who.size() && failed.get() == null; i += threads) {
                  try {
                    step.run(who.get(i));
                  } catch (Exception e) {
                    failed.compareAndSet(null, e);
                  }
                  int n = count.incrementAndGet();
                  if (n % 1000 == 0) {
                    System.out.printf("  %s: %d of %d clients %s%n", label, n, who.size(), done);
                  }
                }
              });
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    if (failed.get() != null) {
      throw new IllegalStateException("not all clients " + done, failed.get());
    }
    return System.nanoTime() - start;
  }

  /** Idle clients per loopback address: each address has some 28,000 ephemeral ports. */
  private static final int CLIENTS_PER_ADDRESS = 20_000;

  /**
   * Registers {@code count} idle users, then logs them all in from {@code threads} threads (the
   * login storm, timed). Up to {@code perSocket} users share one UDP socket, so that one process
   * can hold more sessions than it may open files; the sockets are spread over the loopback
   * addresses 127.1.N.1. Each user still has its own session, token and sequence numbers.
   */
  void connectIdle(int count, String prefix, int threads, int perSocket)
      throws IOException, InterruptedException {
    registerIdle(count, prefix, threads, perSocket);
    logInIdle(threads);
  }

  /** The first half of {@link #connectIdle}: the idle users registered, none logged in yet. */
  void registerIdle(int count, String prefix, int threads, int perSocket)
      throws IOException, InterruptedException {
    int sockets = (count + perSocket - 1) / perSocket;
    sockets = ((sockets + threads - 1) / threads) * threads; // a socket's users share a thread
    List<DatagramChannel> channels = new ArrayList<>();
    for (int i = 0; i < Math.min(sockets, count); i++) {
      channels.add(Client.open("127.1." + (i / CLIENTS_PER_ADDRESS) + ".1", 0));
    }
    for (int i = 0; i < count; i++) {
      Client client = new Client(prefix + "i" + i, listFrom(0), channels.get(i % channels.size()));
      client.seq = (long) (i / channels.size()) * 1_000_000_000L + 1; // unique per socket
      clients.add(client);
    }
    System.out.printf(
        "  %s: %d users on %d sockets; registering from %d threads%n",
        label, count, channels.size(), threads);
    inParallel(clients, threads, "registered", this::register);
  }

  /**
   * The second half of {@link #connectIdle}: the registered users log in (timed: {@link
   * #loginNanos}).
   */
  void logInIdle(int threads) throws InterruptedException {
    loginNanos = logInAll(clients, threads);
  }

  /** How often an idle client sends {@code LIVE}, as the real client does. */
  static final int KEEP_ALIVE_SECONDS = 60;

  /**
   * Keeps the logged-in clients alive for {@code seconds}: each sends {@code LIVE} every {@link
   * #KEEP_ALIVE_SECONDS}, the clients spread evenly over the interval, as many real clients would.
   *
   * @return how many sessions the server no longer knew (ERR 419) by the end
   */
  long hold(int seconds) throws IOException, InterruptedException {
    if (seconds <= 0 || clients.isEmpty()) {
      return 0;
    }
    System.out.printf(
        "  %s: holding %d sessions for %d s, LIVE every %d s%n",
        label, clients.size(), seconds, KEEP_ALIVE_SECONDS);
    Set<DatagramChannel> sockets = new LinkedHashSet<>();
    for (Client client : clients) {
      sockets.add(client.channel);
    }
    Map<Long, Client> bySeq = new HashMap<>();
    Set<String> lost = new HashSet<>();
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    long spacing = KEEP_ALIVE_SECONDS * 1_000_000_000L / clients.size();
    long next = start;
    int index = 0;
    long answered = 0;
    long nextReport = start + 10_000_000_000L;
    ByteBuffer in = ByteBuffer.allocate(2048);
    while (System.nanoTime() < end) {
      long now = System.nanoTime();
      while (next <= now && next < end) {
        Client client = clients.get(index);
        index = (index + 1) % clients.size();
        next += spacing;
        long seq = client.seq++;
        bySeq.put(seq, client);
        transmit(
            client, ClientCodec.encodeRequest(new Request(seq, client.token, new Command.Live())));
      }
      for (DatagramChannel socket : sockets) {
        while (true) {
          in.clear();
          if (socket.receive(in) == null) {
            break;
          }
          in.flip();
          ClientReply reply;
          try {
            reply = ClientCodec.decodeReply(in);
          } catch (RuntimeException malformed) {
            continue;
          }
          if (reply instanceof ClientReply.Done done) {
            bySeq.remove(done.seq());
            answered++;
          } else if (reply instanceof ClientReply.ErrorReply error) {
            Client gone = bySeq.remove(error.seq());
            if (gone != null && error.code() == ErrorCode.BAD_SESSION) {
              lost.add(gone.name);
            }
          }
        }
      }
      if (now >= nextReport) {
        System.out.printf(
            "  %s: %d s held, %d LIVE answered, %d sessions lost%n",
            label, (now - start) / 1_000_000_000L, answered, lost.size());
        nextReport += 10_000_000_000L;
      }
      Thread.sleep(1);
    }
    return lost.size();
  }

  /** Sends a request and waits for its reply, sending again every 500 ms (setup only). */
  private ClientReply exchange(Client client, Command command, String token)
      throws IOException, InterruptedException {
    long seq = client.seq++;
    byte[] bytes = ClientCodec.encodeRequest(new Request(seq, token, command));
    ByteBuffer buffer = ByteBuffer.allocate(2048); // one per call: logins run on several threads
    long deadline = System.nanoTime() + 30_000_000_000L;
    long resendAt = 0;
    while (System.nanoTime() < deadline) {
      if (System.nanoTime() >= resendAt) {
        transmit(client, bytes);
        resendAt = System.nanoTime() + 500_000_000L;
      }
      buffer.clear();
      if (client.receive(buffer) != null) {
        ClientReply reply = ClientCodec.decodeReply(buffer);
        if (hasSeq(reply, seq)) {
          return reply;
        }
      } else {
        Thread.sleep(1);
      }
    }
    throw new IOException(client.name + ": no answer to " + command.verb());
  }

  private static boolean hasSeq(ClientReply reply, long seq) {
    return reply.seq() == seq;
  }

  /**
   * Runs the chat: each sender keeps {@code window} SENDs in flight, or, if {@code ratePerSecond}
   * is above 0, all senders together send that many per second.
   */
  Result run(int seconds, int window, int ratePerSecond) throws IOException {
    return run(seconds, window, ratePerSecond, null);
  }

  /** A server to kill with {@code kill -9} once the run has lasted {@code afterSeconds}. */
  record Kill(InetSocketAddress server, long pid, int afterSeconds) {}

  /** Runs the chat, killing a server in the middle if {@code kill} is given. */
  Result run(int seconds, int window, int ratePerSecond, Kill kill) throws IOException {
    Selector selector = Selector.open();
    for (Client client : clients) {
      client.channel.register(selector, SelectionKey.OP_READ, client);
    }
    Histogram latency = new Histogram(60_000_000L, 3);
    // from the try accepted to its OK SEND: the node's queue and commit, without the push
    Histogram answered = new Histogram(60_000_000L, 3);
    Map<Long, Long> acceptedAt = new HashMap<>(); // message id -> send time
    Map<Long, Integer> receipts = new HashMap<>();
    Map<String, Long> idOfText = new HashMap<>(); // recipient and text -> the id shown
    // sent, accepted, delivered, repeated, errors, moved, twice, moves, refused, given up
    long[] counters = new long[10];
    // SENDs refused busy, to send again once the wait the server named is over
    PriorityQueue<Retry> retries = new PriorityQueue<>(Comparator.comparingLong(Retry::atNanos));
    // when each accepted message was sent the last time: its latency counts from the try the
    // server accepted, not from the first one it refused
    Map<Long, Long> acceptedTry = new HashMap<>();
    long killAt = 0;
    List<long[]> perSecond = new ArrayList<>();
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    long interval = ratePerSecond > 0 ? 1_000_000_000L * senders.size() / ratePerSecond : 0;
    for (int i = 0; i < senders.size(); i++) {
      senders.get(i).nextSendNanos = start + (interval * i) / Math.max(1, senders.size());
    }
    long nextTick = start + 1_000_000_000L;
    long[] lastTick = new long[counters.length];
    Histogram tickLatency = new Histogram(60_000_000L, 3);
    // After the sending ends, wait for the messages accepted but not yet delivered: at least 15 s
    // (40 s after a kill), and for as long as deliveries still arrive, so that a server that is
    // merely behind is not reported as losing messages; give up after 10 s without a delivery or
    // at most 180 s after the end.
    long drainUntil = end + (kill == null ? 15 : 40) * 1_000_000_000L;
    long drainLimit = end + 180 * 1_000_000_000L;
    long lastDelivery = start;
    for (Client client : clients) {
      client.lastHeardNanos = start;
    }
    while (true) {
      long now = System.nanoTime();
      boolean sending = now < end;
      if (kill != null && killAt == 0 && now - start >= kill.afterSeconds() * 1_000_000_000L) {
        killAt = killNow(kill);
      }
      if (sending) {
        for (Client sender : senders) {
          if (ratePerSecond > 0) {
            while (sender.nextSendNanos <= now && sender.inFlight.size() < 10_000) {
              send(sender, now, counters);
              sender.nextSendNanos += interval;
            }
          } else {
            while (sender.inFlight.size() < window) {
              send(sender, now, counters);
            }
          }
        }
      }
      for (Retry retry; (retry = retries.peek()) != null && retry.atNanos() <= now; ) {
        retries.poll();
        Pending pending = retry.client().inFlight.get(retry.seq());
        if (pending != null) {
          transmit(retry.client(), pending.bytes());
          retry.client().inFlight.put(retry.seq(), pending.sentAgain(now));
        }
      }
      selector.select(1);
      Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
      while (keys.hasNext()) {
        SelectionKey key = keys.next();
        keys.remove();
        Client client = (Client) key.attachment();
        while (true) {
          InetSocketAddress from = client.receive(buffer);
          if (from == null) {
            break;
          }
          ClientReply reply;
          try {
            reply = ClientCodec.decodeReply(buffer);
          } catch (RuntimeException malformed) {
            counters[4]++;
            continue;
          }
          long received = System.nanoTime();
          client.lastHeardNanos = received;
          if (killAt != 0
              && client.ofKilled
              && client.servedAgainNanos == 0
              && !from.equals(kill.server())
              && (reply instanceof ClientReply.Sent || reply instanceof ClientReply.Delivery)) {
            client.servedAgainNanos = received;
          }
          if (reply instanceof ClientReply.Sent sent) {
            Pending pending = client.inFlight.remove(sent.seq());
            if (pending != null) {
              counters[1]++;
              long tookMicros = Math.max(0, (received - pending.sentNanos()) / 1000);
              answered.recordValue(Math.min(tookMicros, answered.getHighestTrackableValue()));
              acceptedAt.putIfAbsent(sent.id(), pending.firstSentNanos());
              if (pending.refused()) {
                acceptedTry.put(sent.id(), pending.sentNanos());
              }
            }
          } else if (reply instanceof ClientReply.Moved moved) {
            follow(client, moved, counters);
          } else if (reply instanceof ClientReply.Delivery delivery) {
            ack(client, delivery.id());
            int seen = receipts.merge(delivery.id(), 1, Integer::sum);
            Long shownAs = idOfText.putIfAbsent(client.name + " " + delivery.text(), delivery.id());
            if (shownAs != null && shownAs != delivery.id()) {
              counters[6]++; // one message sent once, stored twice: the user would see it twice
            }
            if (seen == 1) {
              counters[2]++;
              lastDelivery = received;
              long sentAt =
                  Math.max(
                      parseSentNanos(delivery.text()),
                      acceptedTry.getOrDefault(delivery.id(), lastTry(client, delivery.text())));
              long micros = Math.max(0, (received - sentAt) / 1000);
              latency.recordValue(Math.min(micros, latency.getHighestTrackableValue()));
              tickLatency.recordValue(Math.min(micros, tickLatency.getHighestTrackableValue()));
              if (marking) {
                marked.recordValue(Math.min(micros, marked.getHighestTrackableValue()));
              }
            } else {
              counters[3]++;
            }
          } else if (RetryHint.millis(reply).isPresent()
              && client.inFlight.containsKey(reply.seq())) {
            counters[8]++; // not stored: the same SEND again after the wait named
            long wait = RetryHint.millis(reply).getAsLong() * 1_000_000L;
            long jitter = ThreadLocalRandom.current().nextLong(wait / 4 + 1);
            Pending pending = client.inFlight.get(reply.seq());
            if (pending.refusals() >= BUSY_RETRIES) {
              client.inFlight.remove(reply.seq()); // the user is told it was not sent
              counters[9]++;
            } else {
              // not retransmitted meanwhile: the retry is due after the wait, not after a second
              client.inFlight.put(
                  reply.seq(),
                  new Pending(
                      pending.bytes(),
                      received + wait + jitter,
                      pending.firstSentNanos(),
                      pending.refusals() + 1));
              retries.add(new Retry(received + wait + jitter, client, reply.seq()));
            }
          } else if (reply instanceof ClientReply.ErrorReply) {
            counters[4]++;
          }
        }
      }
      if (now >= nextTick) {
        long second = (now - start) / 1_000_000_000L;
        long[] row = {
          second,
          counters[0] - lastTick[0],
          counters[1] - lastTick[1],
          counters[2] - lastTick[2],
          tickLatency.getValueAtPercentile(50),
          tickLatency.getValueAtPercentile(99)
        };
        perSecond.add(row);
        System.out.printf(
            "  %s t=%3ds sent/s=%7d accepted/s=%7d delivered/s=%7d p50=%6dus p99=%7dus%n",
            label, row[0], row[1], row[2], row[3], row[4], row[5]);
        System.arraycopy(counters, 0, lastTick, 0, counters.length);
        tickLatency.reset();
        nextTick += 1_000_000_000L;
        resendOld(now, counters);
      }
      boolean allIn = counters[2] >= acceptedAt.size() && inFlightTotal() == 0;
      boolean stalled = now > drainUntil && now - lastDelivery > 10_000_000_000L;
      if (!sending && (allIn || stalled || now > drainLimit)) {
        break;
      }
    }
    selector.close();
    long lost = acceptedAt.keySet().stream().filter(Predicate.not(receipts::containsKey)).count();
    return new Result(
        label,
        seconds,
        counters[0],
        counters[1],
        counters[2],
        lost,
        counters[3],
        counters[4],
        counters[8],
        counters[9],
        latency,
        answered,
        perSecond,
        kill == null ? null : failover(killAt, counters));
  }

  /** Kills the server's process as {@code kill -9} does; every client it served is marked. */
  private long killNow(Kill kill) {
    for (Client client : clients) {
      client.ofKilled = client.server().equals(kill.server());
    }
    ProcessHandle.of(kill.pid()).ifPresent(ProcessHandle::destroyForcibly);
    long at = System.nanoTime();
    System.out.printf(
        "  %s: killed %s (pid %d) with SIGKILL; %d of its clients wait for another server%n",
        label, kill.server(), kill.pid(), clients.stream().filter(c -> c.ofKilled).count());
    return at;
  }

  private Failover failover(long killAt, long[] counters) {
    Histogram millis = new Histogram(3_600_000L, 3);
    int affected = 0;
    int served = 0;
    for (Client client : clients) {
      if (client.ofKilled) {
        affected++;
        if (client.servedAgainNanos != 0) {
          served++;
          millis.recordValue(Math.max(0, (client.servedAgainNanos - killAt) / 1_000_000));
        }
      }
    }
    return new Failover(affected, served, millis, counters[5], counters[6], counters[7]);
  }

  /** A {@code MOVED} whose proof matches the client's token: it sends there from now on. */
  private void follow(Client client, ClientReply.Moved moved, long[] counters) throws IOException {
    if (client.token == null
        || !SessionProofs.validMove(client.token, moved.server(), moved.proof())) {
      return;
    }
    int colon = moved.server().lastIndexOf(':');
    InetSocketAddress next =
        new InetSocketAddress(
            moved.server().substring(0, colon),
            Integer.parseInt(moved.server().substring(colon + 1)));
    counters[5]++;
    if (!next.equals(client.server())) {
      client.moveTo(next);
      resendAll(client, System.nanoTime());
    }
  }

  private long inFlightTotal() {
    long total = 0;
    for (Client sender : senders) {
      total += sender.inFlight.size();
    }
    return total;
  }

  private void send(Client sender, long now, long[] counters) throws IOException {
    long seq = sender.seq++;
    byte[] bytes =
        ClientCodec.encodeRequest(
            new Request(
                seq, sender.token, new Command.Send(sender.peer.name, "b " + now + " " + seq)));
    sender.inFlight.put(seq, new Pending(bytes, now, now));
    transmit(sender, bytes);
    counters[0]++;
  }

  /**
   * A SEND unanswered for a second goes again under its sequence number (the server dedups); a
   * sender that has heard nothing from its server for the alive interval while it waits moves to
   * the next server of its list and sends everything pending there, as the real client does.
   */
  private void resendOld(long now, long[] counters) throws IOException {
    for (Client sender : senders) {
      if (servers.size() > 1
          && !sender.inFlight.isEmpty()
          && now - sender.lastHeardNanos > ALIVE_NANOS) {
        sender.moveTo(sender.servers.get((sender.current + 1) % sender.servers.size()));
        sender.lastHeardNanos = now;
        counters[7]++;
        resendAll(sender, now);
        continue;
      }
      for (Map.Entry<Long, Pending> entry : sender.inFlight.entrySet()) {
        Pending pending = entry.getValue();
        if (now - pending.sentNanos() > 1_000_000_000L) {
          transmit(sender, pending.bytes());
          entry.setValue(pending.sentAgain(now));
        }
      }
    }
  }

  private static void resendAll(Client client, long now) throws IOException {
    for (Map.Entry<Long, Pending> entry : client.inFlight.entrySet()) {
      Pending pending = entry.getValue();
      transmit(client, pending.bytes());
      entry.setValue(pending.sentAgain(now));
    }
  }

  private void ack(Client client, long id) {
    byte[] bytes =
        ClientCodec.encodeRequest(new Request(client.seq++, client.token, new Command.Ack(id)));
    try {
      transmit(client, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends a datagram to the client's server; one to a server that is gone is lost. */
  private static void transmit(Client client, byte[] bytes) throws IOException {
    client.channel.send(ByteBuffer.wrap(bytes), client.server());
  }

  /**
   * When a refused SEND still awaiting its OK was sent last (the push may overtake the OK): the
   * recipient's sender holds it, under the sequence number in the text's third word.
   */
  private static long lastTry(Client recipient, String text) {
    try {
      Pending pending =
          recipient.from == null
              ? null
              : recipient.from.inFlight.get(Long.parseLong(text.split(" ")[2]));
      return pending != null && pending.refused() ? pending.sentNanos() : Long.MIN_VALUE;
    } catch (RuntimeException e) {
      return Long.MIN_VALUE;
    }
  }

  private static long parseSentNanos(String text) {
    try {
      return Long.parseLong(text.split(" ")[1]);
    } catch (RuntimeException e) {
      return System.nanoTime();
    }
  }

  /** Logs every client out and closes the sockets. */
  void close() {
    for (Client client : clients) {
      try {
        if (client.token != null) {
          transmit(
              client,
              ClientCodec.encodeRequest(
                  new Request(client.seq++, client.token, new Command.Logout())));
        }
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    for (Client client : clients) {
      try {
        client.channel.close(); // idle clients may share one: closing twice is harmless
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
