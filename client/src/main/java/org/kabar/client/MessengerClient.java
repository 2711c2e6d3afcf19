package org.kabar.client;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.kabar.protocol.auth.Scram;
import org.kabar.protocol.client.ClientCodec;
import org.kabar.protocol.client.ClientReply;
import org.kabar.protocol.client.ClientReply.AddressCheck;
import org.kabar.protocol.client.ClientReply.AuthChallenge;
import org.kabar.protocol.client.ClientReply.Delivery;
import org.kabar.protocol.client.ClientReply.ErrorReply;
import org.kabar.protocol.client.ClientReply.Full;
import org.kabar.protocol.client.ClientReply.InboxEntry;
import org.kabar.protocol.client.ClientReply.InboxPage;
import org.kabar.protocol.client.ClientReply.LoggedIn;
import org.kabar.protocol.client.ClientReply.MessageText;
import org.kabar.protocol.client.ClientReply.Moved;
import org.kabar.protocol.client.ClientReply.Sent;
import org.kabar.protocol.client.ClientReply.UserList;
import org.kabar.protocol.client.Command;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.protocol.client.LoginProofs;
import org.kabar.protocol.client.Names;
import org.kabar.protocol.client.Request;
import org.kabar.protocol.client.RetryHint;
import org.kabar.protocol.client.SessionProofs;

/**
 * One client of the messenger protocol over its own UDP socket. Requests are retransmitted with
 * back-off until answered; pushed messages are acknowledged and passed on once each, however often
 * they arrive, from whichever server (message ids are the same on every server). When a server is
 * full or silent, the next one in the list is tried: a session resumes there with its token, and a
 * request that got no answer is sent there again under its own sequence number, so a send the dead
 * server had already stored is found, not stored twice (seed S3.7). A server that took the session
 * over tells the client to move to it ({@code MOVED}, seed S3.6).
 */
public final class MessengerClient implements AutoCloseable {

  private static final int SEEN_REMEMBERED = 10_000;

  /** Pushes kept to acknowledge once the login reply brings the token: more are sent again. */
  private static final int EARLY_PUSHES_KEPT = 64;

  /**
   * How often a request refused with {@code ERR 507 busy} is sent again, each time after the wait
   * the server named: up to about 50 s in all at the longest waits, as long as a retransmission.
   */
  static final int BUSY_RETRIES = 10;

  /** How long a logout waits for the acknowledgements sent before it to be answered. */
  static final Duration ACK_WAIT_ON_LOGOUT = Duration.ofSeconds(2);

  /** How long a logout waits before it sends an unanswered acknowledgement again. */
  private static final long ACK_RESEND_NANOS = 400_000_000L;

  /** Unanswered acknowledgements kept for a logout to send again, at most; more are sent once. */
  private static final int ACKS_KEPT = 256;

  /** How long an acknowledgement is kept unanswered. */
  private static final Duration ACK_KEPT_FOR = Duration.ofSeconds(60);

  private final DatagramSocket socket;
  private final List<InetSocketAddress> servers;
  private final Backoff backoff;
  private final Consumer<ClientReply> pushes;
  private final boolean takeDelivery;
  private final Map<Long, CompletableFuture<ClientReply>> pending = new ConcurrentHashMap<>();
  // SCRAM keys derived from the password, by salt and cost: one PBKDF2 per account, not per login
  private final Map<String, Scram.ClientKeys> derivedKeys = new ConcurrentHashMap<>();
  // acknowledgements sent and not answered yet: a logout sends them again and waits (see logout)
  private final Map<Long, SentAck> unansweredAcks = new ConcurrentHashMap<>();
  // pushes that came before the login reply, to acknowledge once it brings the token; only the
  // receiving thread uses it
  private final List<Long> earlyPushes = new ArrayList<>();
  private final Set<Long> seen =
      Collections.newSetFromMap(
          Collections.synchronizedMap(
              new LinkedHashMap<>() {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
                  return size() > SEEN_REMEMBERED;
                }
              }));
  // a random start, so that a new process reusing an old port is not mistaken for a retransmission
  private final AtomicLong seq = new AtomicLong(ThreadLocalRandom.current().nextLong(1, 1L << 40));
  private final Thread receiver;
  private volatile int current;
  private volatile String token;
  private volatile String endedBecause;
  private volatile String username;
  private volatile String password;

  /**
   * @param servers the servers to use, in order of preference
   * @param pushes receives pushed messages (once each), online-list changes and session ends
   * @param takeDelivery whether pushed messages are acknowledged (taken as delivered) and passed
   *     on; a one-shot command leaves them for the user's next real session
   */
  public MessengerClient(
      List<InetSocketAddress> servers,
      Backoff backoff,
      Consumer<ClientReply> pushes,
      boolean takeDelivery)
      throws SocketException {
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("at least one server is needed");
    }
    this.servers = new CopyOnWriteArrayList<>(servers);
    this.backoff = backoff;
    this.pushes = pushes;
    this.takeDelivery = takeDelivery;
    this.socket = new DatagramSocket();
    this.receiver = new Thread(this::receive, "kabar-client-receiver");
    receiver.setDaemon(true);
    receiver.start();
  }

  /** The server in use now. */
  public InetSocketAddress server() {
    return servers.get(current);
  }

  /** Whether a session is open. */
  public boolean loggedIn() {
    return token != null;
  }

  /**
   * Registers an account: the password never leaves this process; the new account's SCRAM keys (or,
   * where accounts live in a directory, the password) go sealed for the server's key.
   */
  public void register(String user, String secret) throws IOException, RefusedException {
    if (!Names.password(secret)) {
      throw new RefusedException(ErrorCode.BAD_ARGUMENTS, Names.PASSWORD_RULE);
    }
    String clientNonce = LoginProofs.clientNonce();
    AuthChallenge challenge = challenge(user, clientNonce);
    request(
        new Command.Register(challenge.nonce(), LoginProofs.registration(user, secret, challenge)));
  }

  /** Starts the login exchange with the current server: its nonce, key and the account's salt. */
  private AuthChallenge challenge(String user, String clientNonce)
      throws IOException, RefusedException {
    ClientReply reply = request(new Command.Auth(user, clientNonce));
    if (!(reply instanceof AuthChallenge challenge)
        || !LoginProofs.answers(challenge, clientNonce)) {
      throw new IOException("the server answered AUTH with " + reply);
    }
    return challenge;
  }

  /**
   * Proves the password to the current server (the SCRAM keys derived once per salt and cost are
   * kept, so failing over costs no second PBKDF2) and checks that the server proves itself back.
   *
   * @return the login reply, or a {@link Full} reply
   */
  private ClientReply proveAt(String user, String secret) throws IOException, RefusedException {
    for (int attempt = 1; ; attempt++) {
      String clientNonce = LoginProofs.clientNonce();
      AuthChallenge challenge = challenge(user, clientNonce);
      LoginProofs.Proof proof =
          challenge.mode() == AuthChallenge.Mode.SCRAM
              ? LoginProofs.prove(user, keysFor(secret, challenge), clientNonce, challenge)
              : LoginProofs.prove(user, secret, clientNonce, challenge);
      ClientReply reply = exchange(new Command.Prove(challenge.nonce(), proof.proof()));
      if (reply instanceof ErrorReply error
          && error.code() == ErrorCode.LOGIN_EXPIRED
          && attempt < 2) {
        continue; // the exchange took too long or the server restarted: once more
      }
      if (overRate(reply) && attempt < 4) {
        pause(Duration.ofSeconds(attempt)); // sending too fast: wait, then a new exchange
        continue;
      }
      if (reply instanceof LoggedIn loggedIn && !proof.serverProved(loggedIn.serverSignature())) {
        token = null;
        throw new IOException(
            "the server at "
                + describe(server())
                + " could not prove it holds this account: it may be an impostor");
      }
      return check(reply);
    }
  }

  /**
   * The SCRAM keys of a password at a challenge's salt and cost, derived once (a PBKDF2 at the
   * account's cost) and kept for the next logins with the same password: failing over, a new login
   * after {@code BYE} or an {@code UNREGISTER} need no second PBKDF2.
   */
  private Scram.ClientKeys keysFor(String secret, AuthChallenge challenge) {
    String key =
        challenge.salt()
            + "/"
            + challenge.iterations()
            + "/"
            + Scram.base64(Scram.sha256(secret.getBytes(StandardCharsets.UTF_8)));
    Scram.ClientKeys known = derivedKeys.get(key);
    if (known == null) {
      known = LoginProofs.keys(secret, challenge);
      derivedKeys.put(key, known);
    }
    return known;
  }

  /**
   * Logs in at the first server that answers and is not full, starting with the current one; a full
   * server's suggestions are tried after the list.
   */
  public LoggedIn login(String user, String secret) throws IOException, RefusedException {
    IOException lastSilence = null;
    for (int tried = 0; tried < servers.size(); tried++) {
      try {
        ClientReply reply = proveAt(user, secret);
        if (reply instanceof Full full) {
          for (String alternative : full.servers()) {
            addServer(alternative);
          }
          nextServer();
          continue;
        }
        LoggedIn loggedIn = (LoggedIn) reply;
        token = loggedIn.token();
        endedBecause = null;
        username = user;
        password = secret;
        return loggedIn;
      } catch (NoAnswerException silent) {
        lastSilence = silent;
        nextServer();
      }
    }
    if (lastSilence != null) {
      throw lastSilence;
    }
    throw new RefusedException(ErrorCode.FULL, "every server is full");
  }

  /**
   * Sends a message; blanks around the text are left out (the server refuses blanks after a
   * request, which only {@code AUTH}, {@code PROVE} and {@code REGISTER} may carry as padding).
   */
  public long send(String to, String text) throws IOException, RefusedException {
    return ((Sent) request(new Command.Send(to, text.strip()))).id();
  }

  public List<String> online() throws IOException, RefusedException {
    return ((UserList) request(new Command.ListUsers())).users();
  }

  /** The whole inbox, oldest first. */
  public List<InboxEntry> inbox() throws IOException, RefusedException {
    List<InboxEntry> all = new ArrayList<>();
    long after = 0;
    while (true) {
      InboxPage page = (InboxPage) request(new Command.Inbox(after));
      all.addAll(page.entries());
      if (!page.more() || page.entries().isEmpty()) {
        return all;
      }
      after = page.entries().get(page.entries().size() - 1).id();
    }
  }

  public MessageText read(long id) throws IOException, RefusedException {
    return (MessageText) request(new Command.Read(id));
  }

  /** The members of a channel this user belongs to. */
  public List<String> members(String channel) throws IOException, RefusedException {
    return ((ClientReply.ChannelMembers) request(new Command.Members(channel))).users();
  }

  public void delete(long id) throws IOException, RefusedException {
    request(new Command.Delete(id));
  }

  /**
   * Removes the account; the password is proved (or, for a directory account, sealed for the
   * server's key), never sent.
   */
  public void unregister(String secret) throws IOException, RefusedException {
    String current = token;
    if (current == null || username == null) {
      throw new IllegalStateException("log in first");
    }
    AuthChallenge challenge = challenge(username, LoginProofs.clientNonce());
    request(new Command.Unregister(LoginProofs.unregister(username, current, secret, challenge)));
    token = null;
  }

  /**
   * Ends the session, once the acknowledgements already sent are answered (at most {@link
   * #ACK_WAIT_ON_LOGOUT}): the server may serve the two requests at once, and an acknowledgement
   * that reached it after the logout would find no session, so the message would come again at the
   * next login. An acknowledgement still unanswered after a moment is sent again (under its own
   * sequence number, so the server acts on it once): one lost on the way would otherwise bring its
   * message back at the next login.
   */
  public void logout() throws IOException, RefusedException {
    if (token != null) {
      settleAcknowledgements();
      try {
        request(new Command.Logout());
      } catch (RefusedException ended) {
        if (ended.code() != ErrorCode.BAD_SESSION) {
          throw ended; // 419: the first LOGOUT ended it and its reply was lost, or it had ended
        }
      }
      token = null;
    }
  }

  private void settleAcknowledgements() throws IOException {
    long deadline = System.nanoTime() + ACK_WAIT_ON_LOGOUT.toNanos();
    for (long left; !unansweredAcks.isEmpty() && (left = deadline - System.nanoTime()) > 0; ) {
      for (SentAck ack : unansweredAcks.values()) {
        if (System.nanoTime() - ack.sentAtNanos >= ACK_RESEND_NANOS) {
          ack.sentAtNanos = System.nanoTime();
          socket.send(new DatagramPacket(ack.datagram, ack.datagram.length, server()));
        }
      }
      try {
        CompletableFuture.allOf(
                unansweredAcks.values().stream()
                    .map(ack -> ack.answer)
                    .toArray(CompletableFuture[]::new))
            .get(Math.min(left, ACK_RESEND_NANOS), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException notYet) {
        // sent again in the next round, while time is left
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** An acknowledgement sent and not answered yet. */
  private static final class SentAck {
    final byte[] datagram;
    final CompletableFuture<ClientReply> answer;
    volatile long sentAtNanos = System.nanoTime();

    SentAck(byte[] datagram, CompletableFuture<ClientReply> answer) {
      this.datagram = datagram;
      this.answer = answer;
    }
  }

  /**
   * Checks that the server is alive (seed S3.7); if it does not answer, logs in at the next server
   * of the list with the same credentials.
   *
   * @return true if the same server answered, false if the client moved to another one
   */
  public boolean keepAlive() throws IOException, RefusedException {
    InetSocketAddress before = server();
    try {
      request(new Command.Live());
      return server().equals(before);
    } catch (RefusedException ended) {
      if (ended.code() == ErrorCode.BAD_SESSION && username != null && endedBecause == null) {
        login(username, password); // the server forgot the session: start a new one
        return true;
      }
      throw ended;
    }
  }

  /** Sends a request until answered and returns the reply; an error reply is thrown. */
  public ClientReply request(Command command) throws IOException, RefusedException {
    String ended = endedBecause;
    if (!command.anonymous() && token == null && ended != null) {
      throw new RefusedException(ErrorCode.BAD_SESSION, "the server ended the session: " + ended);
    }
    long number = seq.incrementAndGet();
    ClientReply reply = exchange(number, command);
    int overRate = 0;
    int busy = 0;
    while (true) {
      OptionalLong hint = RetryHint.millis(reply);
      if (hint.isPresent() && busy < BUSY_RETRIES) {
        // not stored, or stored and not yet on a second server: the same request, same number,
        // once the server's queue has drained; it is stored once either way
        busy++;
        long jitter = ThreadLocalRandom.current().nextLong(hint.getAsLong() / 4 + 1);
        pause(Duration.ofMillis(hint.getAsLong() + jitter));
        reply = exchange(number, command);
        continue;
      } else if (overRate(reply) && overRate < 3) {
        overRate++;
        pause(Duration.ofSeconds(overRate)); // the server's budget refills within a second or two
      } else {
        return check(reply);
      }
      reply = exchange(seq.incrementAndGet(), command);
    }
  }

  /** Whether the server said this client sends too fast (not: too many failed logins). */
  private static boolean overRate(ClientReply reply) {
    return reply instanceof ErrorReply error
        && error.code() == ErrorCode.RATE_LIMITED
        && (error.text().isEmpty() || error.text().equals(ErrorCode.RATE_LIMITED.text()));
  }

  private static void pause(Duration time) throws IOException {
    try {
      Thread.sleep(time.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private ClientReply exchange(Command command) throws IOException {
    return exchange(seq.incrementAndGet(), command);
  }

  private ClientReply exchange(long number, Command command) throws IOException {
    if (!command.anonymous() && token == null) {
      throw new IllegalStateException("log in first");
    }
    CompletableFuture<ClientReply> answer = new CompletableFuture<>();
    pending.put(number, answer);
    try {
      for (int server = 0; ; server++) {
        try {
          return exchangeWith(server(), number, command, answer);
        } catch (NoAnswerException silent) {
          if (command.anonymous() || servers.size() < 2 || server + 1 >= servers.size()) {
            throw silent;
          }
          failOver(); // then the same request, same number, goes to the server that resumed
        }
      }
    } finally {
      pending.remove(number);
    }
  }

  /** Sends one request to one server until answered or the retries run out. */
  private ClientReply exchangeWith(
      InetSocketAddress to, long number, Command command, CompletableFuture<ClientReply> answer)
      throws IOException {
    Request request = new Request(number, command.anonymous() ? null : token, command);
    byte[] bytes = ClientCodec.encodeRequest(request);
    try {
      for (int attempt = 0; attempt <= backoff.retries(); attempt++) {
        socket.send(new DatagramPacket(bytes, bytes.length, to));
        try {
          return answer.get(backoff.waitMillis(attempt), TimeUnit.MILLISECONDS);
        } catch (TimeoutException retransmit) {
          // no answer yet: send the same request again
        }
      }
      throw new NoAnswerException("no answer from " + describe(to) + " to " + command.verb());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IOException(e.getCause());
    }
  }

  /**
   * Moves to the next server of the list that answers and resumes the session there with its token
   * (the servers share the Connected table); if that server does not know the session, logs in
   * there again with the same credentials.
   */
  private void failOver() throws IOException {
    for (int tried = 1; tried < servers.size(); tried++) {
      nextServer();
      long number = seq.incrementAndGet();
      CompletableFuture<ClientReply> answer = new CompletableFuture<>();
      pending.put(number, answer);
      try {
        ClientReply reply = exchangeWith(server(), number, new Command.Live(), answer);
        if (reply instanceof ErrorReply error && error.code() == ErrorCode.BAD_SESSION) {
          relogin();
        }
        return;
      } catch (NoAnswerException silent) {
        // this one is down too: try the next
      } finally {
        pending.remove(number);
      }
    }
    throw new NoAnswerException("no server of " + servers.size() + " answers");
  }

  private void relogin() throws IOException {
    if (username == null) {
      return;
    }
    try {
      if (proveAt(username, password) instanceof LoggedIn loggedIn) {
        token = loggedIn.token();
      }
    } catch (RefusedException refused) {
      throw new IOException("could not log in again at " + describe(server()), refused);
    }
  }

  private static ClientReply check(ClientReply reply) throws RefusedException {
    if (reply instanceof ErrorReply error) {
      throw new RefusedException(error.code(), error.text());
    }
    return reply;
  }

  private void receive() {
    byte[] buffer = new byte[ClientCodec.MAX_DATAGRAM_BYTES + 1];
    while (!socket.isClosed()) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
        handle(
            ClientCodec.decodeReply(ByteBuffer.wrap(buffer, 0, packet.getLength())),
            packet.getSocketAddress());
      } catch (IllegalArgumentException notOurs) {
        // not a reply of this protocol: ignore it
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void handle(ClientReply reply, SocketAddress from) throws IOException {
    if (reply instanceof Delivery delivery) {
      if (!takeDelivery) {
        return;
      }
      acknowledge(delivery.id());
      if (seen.add(delivery.id())) {
        pushes.accept(delivery);
      }
      return;
    }
    if (reply instanceof Moved moved) {
      String current = token;
      if (current == null || !SessionProofs.validMove(current, moved.server(), moved.proof())) {
        return; // not from a server holding this session: ignored
      }
      switchTo(moved.server());
      pushes.accept(moved);
      return;
    }
    if (reply instanceof AddressCheck addressCheck) {
      answerCheck(addressCheck, from);
      return;
    }
    if (reply instanceof ClientReply.SessionEnded) {
      if (!servers.contains(from)) {
        return; // only a server of the list may end the session
      }
      endedBecause = ((ClientReply.SessionEnded) reply).reason();
      token = null; // kicked, expired or replaced: the session is gone, and no new login follows
    }
    long replySeq = reply.seq();
    if (replySeq == 0) {
      pushes.accept(reply); // online list, session ended
      return;
    }
    CompletableFuture<ClientReply> waiting = pending.get(replySeq);
    if (waiting != null) {
      if (reply instanceof LoggedIn loggedIn) {
        // the offline messages follow the reply at once, and are acknowledged with this token:
        // it must be set here, before the next datagram, not later by the thread that logged in
        token = loggedIn.token();
        acknowledgeEarlyPushes();
      }
      waiting.complete(reply);
    }
  }

  /**
   * Acknowledges pushes that arrived before the login reply. The server may push a message to a new
   * session before its reply to LOGIN has left (a message stored at that moment); unacknowledged,
   * it would be sent again only seconds later, perhaps after a quick logout, and then shown again
   * at the next login.
   */
  private void acknowledgeEarlyPushes() throws IOException {
    for (long messageId : earlyPushes) {
      acknowledge(messageId);
    }
    earlyPushes.clear();
  }

  /** Acknowledges a push once; if the acknowledgement is lost, the push comes again. */
  private void acknowledge(long messageId) throws IOException {
    String current = token;
    if (current == null) {
      if (earlyPushes.size() < EARLY_PUSHES_KEPT) {
        earlyPushes.add(messageId); // acknowledged when the login reply comes
      }
      return;
    }
    Request ack = new Request(seq.incrementAndGet(), current, new Command.Ack(messageId));
    byte[] bytes = ClientCodec.encodeRequest(ack);
    CompletableFuture<ClientReply> answer = new CompletableFuture<>();
    pending.put(ack.seq(), answer);
    if (unansweredAcks.size() < ACKS_KEPT) {
      unansweredAcks.put(ack.seq(), new SentAck(bytes, answer));
    }
    answer
        .orTimeout(ACK_KEPT_FOR.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (reply, failure) -> {
              pending.remove(ack.seq());
              unansweredAcks.remove(ack.seq());
            });
    socket.send(new DatagramPacket(bytes, bytes.length, server()));
  }

  /**
   * Answers a server's address check: this client's address changed (a new network, a NAT that
   * rebound), and the server sends pushes here only once the challenge comes back from here. Sent
   * once; if it is lost, the next request brings a new challenge.
   */
  private void answerCheck(AddressCheck check, SocketAddress from) throws IOException {
    String current = token;
    if (current == null || !servers.contains(from)) {
      return; // only a server of the list, for a session this client holds
    }
    Request answer =
        new Request(seq.incrementAndGet(), current, new Command.Check(check.challenge()));
    byte[] bytes = ClientCodec.encodeRequest(answer);
    socket.send(new DatagramPacket(bytes, bytes.length, from));
  }

  private void nextServer() {
    current = (current + 1) % servers.size();
  }

  private synchronized void switchTo(String hostPort) {
    try {
      InetSocketAddress address = Servers.parse(hostPort);
      if (!servers.contains(address)) {
        servers.add(address);
      }
      current = servers.indexOf(address);
    } catch (IllegalArgumentException ignored) {
      // a malformed address: stay where we are
    }
  }

  private void addServer(String hostPort) {
    try {
      InetSocketAddress address = Servers.parse(hostPort);
      if (!servers.contains(address)) {
        servers.add(address);
      }
    } catch (IllegalArgumentException ignored) {
      // a malformed suggestion is not worth failing the login for
    }
  }

  static String describe(InetSocketAddress address) {
    return address.getHostString() + ":" + address.getPort();
  }

  @Override
  public void close() {
    socket.close();
  }
}
