package org.kabar.server.presence.boundary;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.protocol.peer.SessionRecord;
import org.kabar.server.accounts.boundary.Accounts;
import org.kabar.server.cluster.boundary.ServerDirectory;
import org.kabar.server.node.IdClock;
import org.kabar.server.node.NodeSettings;
import org.kabar.server.presence.control.OnlineSnapshot;
import org.kabar.server.presence.control.SessionCache;
import org.kabar.server.presence.control.SessionTokens;
import org.kabar.server.presence.entity.ConnectedSession;

/**
 * Logins and sessions (the seed's Connected table): a login returns a token that every later
 * request must carry; a request with a valid token from a new address moves the session there.
 */
@Stateless
public class Sessions {

  /** How stale a session's last-seen time may get before a request refreshes it, at most. */
  private static final Duration TOUCH_AT_MOST_EVERY = Duration.ofSeconds(5);

  /** Below the quota by more than this, a recent count of the sessions here is good enough. */
  private static final long QUOTA_MARGIN = 100;

  @PersistenceContext EntityManager entityManager;

  @EJB Accounts accounts;

  @EJB ServerDirectory servers;

  @Inject NodeSettings settings;

  @Inject IdClock clock;

  @Inject SessionCache cache;

  @Inject OnlineSnapshot snapshot;

  @Inject
  @ConfigProperty(name = "kabar.session.timeout.seconds", defaultValue = "180")
  int timeoutSeconds;

  /**
   * Opens a session for a user who proved the password (or whose directory checked it), from the
   * address the login exchange ran from, ending the user's previous session if any: refused if the
   * account is gone or disabled, or this server is full.
   */
  public LoginResult login(String username, InetSocketAddress client) {
    Optional<ErrorCode> refused = accounts.enabled(username);
    if (refused.isPresent()) {
      return LoginResult.refused(refused.get());
    }
    List<ConnectedSession> previous = connectedSessionsOf(username);
    long here = cache.sessionsHereAtMost();
    if (here < 0 || here >= settings.quota() - QUOTA_MARGIN) {
      // near the quota, or not counted lately: count exactly
      here =
          entityManager
              .createNamedQuery(ConnectedSession.COUNT_ON_SERVER, Long.class)
              .setParameter("server", settings.nodeName())
              .getSingleResult();
      cache.countedHere(here);
    }
    if (previous.isEmpty() && here >= settings.quota()) {
      return LoginResult.full(
          servers.activeNearestFirst().stream()
              .filter(server -> !settings.isSelf(server.address(), server.port()))
              .map(server -> server.address() + ":" + server.clientPort())
              .toList());
    }
    InetSocketAddress replaced = null;
    List<Long> changed = new ArrayList<>();
    if (!previous.isEmpty()) {
      cache.changed();
    }
    for (ConnectedSession old : previous) {
      old.disconnect();
      old.revise(clock.nextRevision());
      replaced = old.client();
      changed.add(old.id());
    }
    String token = SessionTokens.next();
    ConnectedSession session =
        new ConnectedSession(
            clock.nextId(),
            username,
            client,
            settings.nodeName(),
            Instant.now(),
            SessionTokens.hash(token));
    session.revise(clock.nextRevision());
    entityManager.persist(session);
    entityManager.flush();
    cache.loggedInHere();
    changed.add(session.id());
    return new LoginResult(
        new Caller(session.id(), username, client), token, null, replaced, List.of(), changed);
  }

  /**
   * The session holding this token, refreshed as seen now when it sends from its address. A request
   * from another address is served but moves nothing: pushes follow the client only once it has
   * answered an address check from there ({@link #moveAddress}).
   */
  public Optional<Authentication> authenticate(String token, InetSocketAddress from) {
    String tokenHash = SessionTokens.hash(token);
    Instant now = Instant.now();
    Optional<SessionCache.Entry> cached = cache.served(tokenHash, from, now, touchEvery());
    if (cached.isPresent()) {
      SessionCache.Entry entry = cached.get();
      return Optional.of(
          new Authentication(new Caller(entry.sessionId(), entry.username(), from), false, true));
    }
    long read = cache.generation();
    List<ConnectedSession> found =
        entityManager
            .createNamedQuery(ConnectedSession.BY_TOKEN, ConnectedSession.class)
            .setParameter("tokenHash", tokenHash)
            .getResultList();
    if (found.isEmpty()) {
      return Optional.empty();
    }
    ConnectedSession session = found.get(0);
    boolean fromItsAddress = session.client().equals(from);
    if (!session.server().equals(settings.nodeName())) {
      // the session's server died or the client failed over (seed S3.6, S3.7): it is ours now
      cache.changed();
      session.moveTo(settings.nodeName());
      if (fromItsAddress) {
        session.seen(now);
      }
      session.revise(clock.nextRevision());
      return Optional.of(
          new Authentication(
              new Caller(session.id(), session.username(), from), true, fromItsAddress));
    }
    Instant touched = session.lastSeenAt();
    if (fromItsAddress && touched.isBefore(now.minus(touchEvery()))) {
      cache.seen(session.id(), now);
      touched = now;
    }
    cache.remember(
        tokenHash,
        new SessionCache.Entry(session.id(), session.username(), session.client(), touched, read));
    return Optional.of(
        new Authentication(
            new Caller(session.id(), session.username(), from), false, fromItsAddress));
  }

  /**
   * Moves a session to the address that answered its address check: pushes go there from now on,
   * and the other servers learn it with the session's next copy.
   *
   * @return whether the session is still connected here
   */
  public boolean moveAddress(long sessionId, InetSocketAddress to) {
    ConnectedSession session = entityManager.find(ConnectedSession.class, sessionId);
    if (session == null || !session.connected()) {
      return false;
    }
    cache.changed();
    session.movedTo(to);
    session.seen(Instant.now());
    session.revise(clock.nextRevision());
    return true;
  }

  /**
   * Writes last-seen times gathered by {@link SessionCache#seen} (drained by the caller), in one
   * statement and one transaction: each session gets the latest time of the chunk, at most a few
   * seconds later than some were heard from (a time never moves back). The expiry writes its
   * thousands of times in chunks of {@link SessionExpiry#CHUNK}, each its own transaction, so that
   * none holds thousands of rows' locks at once.
   *
   * @return how many sessions were written
   */
  public int writeSeen(List<Map.Entry<Long, Instant>> chunk) {
    if (chunk.isEmpty()) {
      return 0;
    }
    entityManager
        .createNamedQuery(ConnectedSession.SEEN)
        .setParameter("now", chunk.stream().map(Map.Entry::getValue).max(Instant::compareTo).get())
        .setParameter("ids", chunk.stream().map(Map.Entry::getKey).toList())
        .executeUpdate();
    return chunk.size();
  }

  private Duration touchEvery() {
    return touchEvery(timeoutSeconds);
  }

  /** Often enough that a session in use never looks silent: a quarter of the timeout. */
  static Duration touchEvery(int timeoutSeconds) {
    Duration quarter = Duration.ofMillis(timeoutSeconds * 250L);
    return quarter.compareTo(TOUCH_AT_MOST_EVERY) < 0 ? quarter : TOUCH_AT_MOST_EVERY;
  }

  /**
   * The unframed {@code /@live?} doubles as a keep-alive for the session at its sender's address.
   * Only the last-seen time changes, so a forged one can at most keep a session from expiring.
   */
  public void keepAliveAt(InetSocketAddress client) {
    entityManager
        .createNamedQuery(ConnectedSession.TOUCH_AT_ADDRESS)
        .setParameter("now", Instant.now())
        .setParameter("address", client.getAddress().getHostAddress())
        .setParameter("port", client.getPort())
        .executeUpdate();
  }

  /** Ends a session. */
  public void logout(long sessionId) {
    ConnectedSession session = entityManager.find(ConnectedSession.class, sessionId);
    if (session != null) {
      cache.changed();
      session.disconnect();
      session.revise(clock.nextRevision());
    }
  }

  /**
   * Whether a user has had a session, ended or not, at an address (an IP address, as text): an
   * address of the account's owner, which failures with the name from elsewhere do not hold up. The
   * Connected table is shared or replicated, so this holds on every server of a deployment.
   */
  public boolean loggedInFrom(String username, String address) {
    return entityManager
            .createNamedQuery(ConnectedSession.COUNT_AT_ADDRESS, Long.class)
            .setParameter("username", username)
            .setParameter("address", address)
            .getSingleResult()
        > 0;
  }

  /** Who is online now, on any server, by name. */
  public List<String> onlineUsers() {
    return connected().stream().map(Caller::username).distinct().toList();
  }

  /** The first names of who is online, in order, and how many are online in all. */
  public record Online(List<String> first, long total) {
    /** How many are online beyond the names given. */
    public int more() {
      return (int) Math.min(Integer.MAX_VALUE, total - first.size());
    }
  }

  /**
   * Who is online, for a list that must fit one datagram: the first {@code limit} names in order
   * and the number online, without reading every session (a login, a LIST and an ONLINE notice used
   * to read all of them). With {@link OnlineSnapshot#EXACT_BELOW} users online or more, a list read
   * less than a second ago stands in ({@link OnlineSnapshot}).
   */
  public Online online(int limit) {
    OnlineSnapshot.Names reused = snapshot.reuse(limit);
    if (reused != null) {
      return new Online(reused.first(), reused.total());
    }
    try {
      Online online = readOnline(limit);
      snapshot.taken(limit, new OnlineSnapshot.Names(online.first(), online.total()));
      return online;
    } catch (RuntimeException e) {
      snapshot.failed();
      throw e;
    }
  }

  private Online readOnline(int limit) {
    List<String> first =
        entityManager
            .createQuery(
                "SELECT DISTINCT c.username FROM ConnectedSession c WHERE c.connected = TRUE"
                    + " ORDER BY c.username",
                String.class)
            .setMaxResults(limit)
            .getResultList();
    long total =
        first.size() < limit
            ? first.size()
            : entityManager
                .createQuery(
                    "SELECT COUNT(DISTINCT c.username) FROM ConnectedSession c"
                        + " WHERE c.connected = TRUE",
                    Long.class)
                .getSingleResult();
    return new Online(List.copyOf(first), total);
  }

  /**
   * The addresses of the sessions connected to this server, in no order: only the two columns are
   * read (a notice to everyone read every session whole, sorted, once a second).
   */
  public List<InetSocketAddress> addressesHere() {
    return entityManager
        .createNamedQuery(ConnectedSession.ADDRESSES_ON_SERVER, Object[].class)
        .setParameter("server", settings.nodeName())
        .getResultList()
        .stream()
        .map(row -> new InetSocketAddress((String) row[0], (Integer) row[1]))
        .toList();
  }

  /** The sessions connected to this server. */
  public List<Caller> connectedHere() {
    return entityManager
        .createNamedQuery(ConnectedSession.CONNECTED_ON_SERVER, ConnectedSession.class)
        .setParameter("server", settings.nodeName())
        .getResultList()
        .stream()
        .map(s -> new Caller(s.id(), s.username(), s.client()))
        .toList();
  }

  /** A connected session as the web console shows it. */
  public record SessionView(
      long id, String user, String server, Instant since, Instant lastSeen, String address)
      implements Serializable {}

  /** Every connected session on every server, by user. */
  public List<SessionView> connectedSessions() {
    return entityManager
        .createNamedQuery(ConnectedSession.ALL_CONNECTED, ConnectedSession.class)
        .getResultList()
        .stream()
        .map(
            s ->
                new SessionView(
                    s.id(),
                    s.username(),
                    s.server(),
                    s.loginAt(),
                    s.lastSeenAt(),
                    s.client().getAddress().getHostAddress() + ":" + s.client().getPort()))
        .toList();
  }

  /**
   * Ends a session on an administrator's word.
   *
   * @return the session's user and address, to tell the client; empty if it was not connected
   */
  public Optional<Caller> kick(long sessionId) {
    ConnectedSession session = entityManager.find(ConnectedSession.class, sessionId);
    if (session == null || !session.connected()) {
      return Optional.empty();
    }
    cache.changed();
    session.disconnect();
    session.revise(clock.nextRevision());
    return Optional.of(new Caller(session.id(), session.username(), session.client()));
  }

  /** The server a user is connected to, if the user is online anywhere. */
  public Optional<String> serverOf(String username) {
    return connectedSessionsOf(username).stream().findFirst().map(ConnectedSession::server);
  }

  /** The session of a user connected to this server, if any: the one this server pushes to. */
  public Optional<Caller> sessionHere(String username) {
    Optional<SessionCache.Entry> cached = cache.byUsername(username);
    if (cached.isPresent()) {
      return cached.map(e -> new Caller(e.sessionId(), e.username(), e.client()));
    }
    long read = cache.generation();
    Optional<ConnectedSession> found =
        entityManager
            .createNamedQuery(ConnectedSession.CONNECTED_USER_ON_SERVER, ConnectedSession.class)
            .setParameter("username", username)
            .setParameter("server", settings.nodeName())
            .setMaxResults(1)
            .getResultList()
            .stream()
            .findFirst();
    found.ifPresent(
        s ->
            cache.remember(
                null,
                new SessionCache.Entry(s.id(), s.username(), s.client(), s.lastSeenAt(), read)));
    return found.map(s -> new Caller(s.id(), s.username(), s.client()));
  }

  /** Whether any session is connected on the server. */
  public boolean anyConnectedOn(String server) {
    return !entityManager
        .createNamedQuery(ConnectedSession.CONNECTED_ON_SERVER, ConnectedSession.class)
        .setParameter("server", server)
        .setMaxResults(1)
        .getResultList()
        .isEmpty();
  }

  /**
   * Takes over the sessions still connected to a dead server (seed S3.6): they are this server's
   * now, at a new revision. Returns them with their token hashes, to tell each client to move.
   */
  public List<Adopted> adoptAllOf(String deadServer) {
    List<ConnectedSession> orphans =
        entityManager
            .createNamedQuery(ConnectedSession.CONNECTED_ON_SERVER, ConnectedSession.class)
            .setParameter("server", deadServer)
            .getResultList();
    Instant now = Instant.now();
    List<Adopted> adopted = new ArrayList<>();
    if (!orphans.isEmpty()) {
      cache.changed();
    }
    for (ConnectedSession orphan : orphans) {
      orphan.moveTo(settings.nodeName());
      orphan.seen(now); // the client gets the full timeout to answer its new server
      orphan.revise(clock.nextRevision());
      adopted.add(
          new Adopted(
              new Caller(orphan.id(), orphan.username(), orphan.client()), orphan.tokenHash()));
    }
    return adopted;
  }

  /** A session taken over from a dead server, and its token's hash (for the move proof). */
  public record Adopted(Caller caller, String tokenHash) {}

  /** Every connected session: user and address. */
  public List<Caller> connected() {
    return entityManager
        .createNamedQuery(ConnectedSession.ALL_CONNECTED, ConnectedSession.class)
        .getResultList()
        .stream()
        .map(s -> new Caller(s.id(), s.username(), s.client()))
        .toList();
  }

  /**
   * Ends at most {@code atMost} sessions of this server not heard from within the timeout, in one
   * transaction; returns them.
   */
  public List<Caller> expireSilent(Duration timeout, int atMost) {
    List<ConnectedSession> silent =
        entityManager
            .createNamedQuery(ConnectedSession.SILENT_SINCE, ConnectedSession.class)
            .setParameter("server", settings.nodeName())
            .setParameter("since", Instant.now().minus(timeout))
            .setMaxResults(atMost)
            .getResultList();
    cache.ended(silent.stream().map(ConnectedSession::id).toList()); // only these: none moved
    for (ConnectedSession session : silent) {
      session.disconnect();
      session.revise(clock.nextRevision());
    }
    return silent.stream().map(s -> new Caller(s.id(), s.username(), s.client())).toList();
  }

  /** The rows with these ids as copies for the other servers (seed S3.3). */
  public List<SessionRecord> copies(List<Long> ids) {
    return ids.stream()
        .map(id -> entityManager.find(ConnectedSession.class, id))
        .filter(Objects::nonNull)
        .map(Sessions::copyOf)
        .toList();
  }

  /** Every row changed at or after a revision, for a server catching up. */
  public List<SessionRecord> changedSince(long since) {
    return entityManager
        .createNamedQuery(ConnectedSession.CHANGED_SINCE, ConnectedSession.class)
        .setParameter("since", since)
        .getResultList()
        .stream()
        .map(Sessions::copyOf)
        .toList();
  }

  /** The rows of the sessions connected here, sent periodically (seed S3.3). */
  public List<SessionRecord> connectedHereCopies() {
    return entityManager
        .createNamedQuery(ConnectedSession.CONNECTED_ON_SERVER, ConnectedSession.class)
        .setParameter("server", settings.nodeName())
        .getResultList()
        .stream()
        .map(Sessions::copyOf)
        .toList();
  }

  /** What merging a copy of a Connected row from another server did here. */
  public enum Merge {
    /** Nothing new. */
    SAME,
    /** Stored or updated; the online list may have changed. */
    CHANGED,
    /** Updated, and a session this server served is no longer its: stop pushing to it. */
    TAKEN_AWAY,
    /** The copy here is newer: the sender should get it back. */
    OURS_NEWER,
    /** For a user this server does not know (yet): dropped, the periodic copy brings it again. */
    UNKNOWN_USER
  }

  /** Merges a copy of a Connected row: the higher revision wins (seed S3.6). */
  public Merge mergeCopy(SessionRecord copy) {
    InetSocketAddress client = new InetSocketAddress(copy.clientHost(), copy.clientPort());
    ConnectedSession local = entityManager.find(ConnectedSession.class, copy.id());
    if (local == null) {
      if (!accounts.exists(copy.user())) {
        return Merge.UNKNOWN_USER;
      }
      ConnectedSession row =
          new ConnectedSession(
              copy.id(),
              copy.user(),
              client,
              copy.server(),
              Instant.ofEpochMilli(copy.loginAtMillis()),
              copy.tokenHash());
      row.takeCopy(copy.revision(), copy.server(), copy.connected(), client, copy.tokenHash());
      entityManager.persist(row);
      entityManager.flush();
      return Merge.CHANGED;
    }
    if (copy.revision() < local.revision()
        || (copy.revision() == local.revision() && !wins(copy, local))) {
      return copy.revision() == local.revision() && sameState(copy, local)
          ? Merge.SAME
          : Merge.OURS_NEWER;
    }
    if (copy.revision() == local.revision() && sameState(copy, local)) {
      return Merge.SAME;
    }
    boolean wasServedHere = local.connected() && local.server().equals(settings.nodeName());
    cache.changed();
    local.takeCopy(copy.revision(), copy.server(), copy.connected(), client, copy.tokenHash());
    boolean servedHere = local.connected() && local.server().equals(settings.nodeName());
    return wasServedHere && !servedHere ? Merge.TAKEN_AWAY : Merge.CHANGED;
  }

  /** Two different copies of one revision: every server picks the same one. */
  private static boolean wins(SessionRecord copy, ConnectedSession local) {
    int byServer = copy.server().compareTo(local.server());
    return byServer != 0 ? byServer > 0 : !copy.connected() && local.connected();
  }

  private static boolean sameState(SessionRecord copy, ConnectedSession local) {
    return copy.server().equals(local.server()) && copy.connected() == local.connected();
  }

  private static SessionRecord copyOf(ConnectedSession s) {
    return new SessionRecord(
        s.id(),
        s.revision(),
        s.username(),
        s.server(),
        s.connected(),
        s.loginAt().toEpochMilli(),
        s.client().getAddress().getHostAddress(),
        s.client().getPort(),
        s.tokenHash());
  }

  private List<ConnectedSession> connectedSessionsOf(String username) {
    return entityManager
        .createNamedQuery(ConnectedSession.CONNECTED_USER, ConnectedSession.class)
        .setParameter("username", username)
        .getResultList();
  }
}
