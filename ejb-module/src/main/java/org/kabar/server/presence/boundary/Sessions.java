package org.kabar.server.presence.boundary;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.server.accounts.boundary.Accounts;
import org.kabar.server.cluster.boundary.ServerDirectory;
import org.kabar.server.node.NodeSettings;
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

  /** The UDP port clients use on other servers, told to a client when this one is full. */
  private static final int CLIENT_PORT = 4999;

  @PersistenceContext EntityManager entityManager;

  @EJB Accounts accounts;

  @EJB ServerDirectory servers;

  @Inject NodeSettings settings;

  @Inject
  @ConfigProperty(name = "kabar.quota", defaultValue = "10000")
  int quota;

  @Inject
  @ConfigProperty(name = "kabar.session.timeout.seconds", defaultValue = "180")
  int timeoutSeconds;

  /** Logs a user in from an address, ending the user's previous session if any. */
  public LoginResult login(String username, String password, InetSocketAddress client) {
    if (!accounts.verify(username, password)) {
      return LoginResult.refused(ErrorCode.WRONG_CREDENTIALS);
    }
    List<ConnectedSession> previous = connectedSessionsOf(username);
    long here =
        entityManager
            .createNamedQuery(ConnectedSession.COUNT_ON_SERVER, Long.class)
            .setParameter("server", settings.nodeName())
            .getSingleResult();
    if (previous.isEmpty() && here >= quota) {
      return LoginResult.full(
          servers.activeNearestFirst().stream()
              .map(server -> server.address() + ":" + CLIENT_PORT)
              .toList());
    }
    InetSocketAddress replaced = null;
    for (ConnectedSession old : previous) {
      old.disconnect();
      replaced = old.client();
    }
    String token = SessionTokens.next();
    ConnectedSession session =
        new ConnectedSession(
            username, client, settings.nodeName(), Instant.now(), SessionTokens.hash(token));
    entityManager.persist(session);
    entityManager.flush();
    return new LoginResult(
        new Caller(session.id(), username, client), token, null, replaced, List.of());
  }

  /**
   * The session holding this token, refreshed as seen now; moved if it sends from a new address.
   */
  public Optional<Caller> authenticate(String token, InetSocketAddress from) {
    List<ConnectedSession> found =
        entityManager
            .createNamedQuery(ConnectedSession.BY_TOKEN, ConnectedSession.class)
            .setParameter("tokenHash", SessionTokens.hash(token))
            .getResultList();
    if (found.isEmpty()) {
      return Optional.empty();
    }
    ConnectedSession session = found.get(0);
    Instant now = Instant.now();
    boolean moved = !session.client().equals(from);
    if (moved || session.lastSeenAt().isBefore(now.minus(touchEvery()))) {
      entityManager.detach(session);
      entityManager
          .createNamedQuery(ConnectedSession.TOUCH)
          .setParameter("now", now)
          .setParameter("address", from.getAddress().getHostAddress())
          .setParameter("port", from.getPort())
          .setParameter("id", session.id())
          .executeUpdate();
    }
    return Optional.of(new Caller(session.id(), session.username(), from));
  }

  /** Often enough that a session in use never looks silent: a quarter of the timeout. */
  private Duration touchEvery() {
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
      session.disconnect();
    }
  }

  /** Who is online now, by name. */
  public List<String> onlineUsers() {
    return connected().stream().map(Caller::username).distinct().toList();
  }

  /** Every connected session: user and address. */
  public List<Caller> connected() {
    return entityManager
        .createNamedQuery(ConnectedSession.ALL_CONNECTED, ConnectedSession.class)
        .getResultList()
        .stream()
        .map(s -> new Caller(s.id(), s.username(), s.client()))
        .toList();
  }

  /** The connected session of a user, if the user is online. */
  public Optional<Caller> sessionOf(String username) {
    return connectedSessionsOf(username).stream()
        .findFirst()
        .map(s -> new Caller(s.id(), s.username(), s.client()));
  }

  /** Ends the sessions of this server not heard from within the timeout; returns them. */
  public List<Caller> expireSilent(Duration timeout) {
    List<ConnectedSession> silent =
        entityManager
            .createNamedQuery(ConnectedSession.SILENT_SINCE, ConnectedSession.class)
            .setParameter("server", settings.nodeName())
            .setParameter("since", Instant.now().minus(timeout))
            .getResultList();
    silent.forEach(ConnectedSession::disconnect);
    return silent.stream().map(s -> new Caller(s.id(), s.username(), s.client())).toList();
  }

  private List<ConnectedSession> connectedSessionsOf(String username) {
    return entityManager
        .createNamedQuery(ConnectedSession.CONNECTED_USER, ConnectedSession.class)
        .setParameter("username", username)
        .getResultList();
  }
}
