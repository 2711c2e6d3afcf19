package org.kabar.server.presence.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Objects;

/**
 * A login (the seed's Connected table): when, who, from which address and port, on which server,
 * and whether it is still connected. The version lets the newest update win when servers exchange
 * rows (seed S3.6).
 */
@Entity
@Table(
    name = "CONNECTED",
    indexes = {
      @Index(name = "IX_CONNECTED_USER", columnList = "USERNAME, CONNECTED"),
      @Index(name = "IX_CONNECTED_SERVER", columnList = "SERVER, CONNECTED"),
      @Index(name = "IX_CONNECTED_ADDRESS", columnList = "CLIENT_ADDRESS, CLIENT_PORT, CONNECTED"),
      @Index(name = "IX_CONNECTED_TOKEN", columnList = "TOKEN_HASH"),
      @Index(name = "IX_CONNECTED_REVISION", columnList = "REVISION")
    })
@NamedQuery(
    name = ConnectedSession.BY_TOKEN,
    query =
        "SELECT c FROM ConnectedSession c WHERE c.tokenHash = :tokenHash AND c.connected = TRUE")
@NamedQuery(
    name = ConnectedSession.ALL_CONNECTED,
    query = "SELECT c FROM ConnectedSession c WHERE c.connected = TRUE ORDER BY c.username")
@NamedQuery(
    name = ConnectedSession.SILENT_SINCE,
    query =
        "SELECT c FROM ConnectedSession c WHERE c.connected = TRUE AND c.server = :server"
            + " AND c.lastSeenAt < :since")
@NamedQuery(
    name = ConnectedSession.TOUCH,
    query =
        "UPDATE ConnectedSession c SET c.lastSeenAt = :now, c.clientAddress = :address,"
            + " c.clientPort = :port WHERE c.id = :id")
@NamedQuery(
    name = ConnectedSession.SEEN,
    query =
        "UPDATE ConnectedSession c SET c.lastSeenAt = :now WHERE c.id IN :ids"
            + " AND c.lastSeenAt < :now")
@NamedQuery(
    name = ConnectedSession.TOUCH_AT_ADDRESS,
    query =
        "UPDATE ConnectedSession c SET c.lastSeenAt = :now WHERE c.clientAddress = :address"
            + " AND c.clientPort = :port AND c.connected = TRUE")
@NamedQuery(
    name = ConnectedSession.COUNT_ON_SERVER,
    query =
        "SELECT COUNT(c) FROM ConnectedSession c WHERE c.server = :server AND c.connected = TRUE")
@NamedQuery(
    name = ConnectedSession.CONNECTED_USER,
    query = "SELECT c FROM ConnectedSession c WHERE c.username = :username AND c.connected = TRUE")
@NamedQuery(
    name = ConnectedSession.ADDRESSES_ON_SERVER,
    query =
        "SELECT c.clientAddress, c.clientPort FROM ConnectedSession c"
            + " WHERE c.server = :server AND c.connected = TRUE")
@NamedQuery(
    name = ConnectedSession.CONNECTED_ON_SERVER,
    query =
        "SELECT c FROM ConnectedSession c WHERE c.server = :server AND c.connected = TRUE"
            + " ORDER BY c.username")
@NamedQuery(
    name = ConnectedSession.CONNECTED_USER_ON_SERVER,
    query =
        "SELECT c FROM ConnectedSession c WHERE c.username = :username AND c.server = :server"
            + " AND c.connected = TRUE ORDER BY c.id DESC")
@NamedQuery(
    name = ConnectedSession.CHANGED_SINCE,
    query = "SELECT c FROM ConnectedSession c WHERE c.revision >= :since ORDER BY c.id")
@NamedQuery(
    name = ConnectedSession.COUNT_AT_ADDRESS,
    query =
        "SELECT COUNT(c) FROM ConnectedSession c WHERE c.username = :username"
            + " AND c.clientAddress = :address")
@NamedQuery(
    name = ConnectedSession.CONNECTED_AT_ADDRESS,
    query =
        "SELECT c FROM ConnectedSession c WHERE c.clientAddress = :address"
            + " AND c.clientPort = :port AND c.connected = TRUE")
public class ConnectedSession {

  /** The connected sessions of one user; parameter {@code username}. */
  public static final String CONNECTED_USER = "ConnectedSession.connectedUser";

  /** The connected sessions on one server; parameter {@code server}. */
  public static final String CONNECTED_ON_SERVER = "ConnectedSession.connectedOnServer";

  public static final String ADDRESSES_ON_SERVER = "ConnectedSession.addressesOnServer";

  /** The connected session holding a token; parameter {@code tokenHash}. */
  public static final String BY_TOKEN = "ConnectedSession.byToken";

  /** Every connected session, by username. */
  public static final String ALL_CONNECTED = "ConnectedSession.allConnected";

  /** Connected sessions of a server not heard from since; {@code server}, {@code since}. */
  public static final String SILENT_SINCE = "ConnectedSession.silentSince";

  /**
   * Records that a session was heard from, at its current address, without a version check: a
   * heartbeat must not conflict with the session's other updates. Parameters {@code now}, {@code
   * address}, {@code port}, {@code id}.
   */
  public static final String TOUCH = "ConnectedSession.touch";

  /**
   * Keeps alive the session at a client address, for the unframed {@code /@live?}; parameters
   * {@code now}, {@code address}, {@code port}.
   */
  public static final String TOUCH_AT_ADDRESS = "ConnectedSession.touchAtAddress";

  public static final String SEEN = "ConnectedSession.seen";

  /** How many sessions are connected on a server; parameter {@code server}. */
  public static final String COUNT_ON_SERVER = "ConnectedSession.countOnServer";

  /** A user's connected sessions on one server, newest first; {@code username}, {@code server}. */
  public static final String CONNECTED_USER_ON_SERVER = "ConnectedSession.connectedUserOnServer";

  /** Rows changed at or after a revision; parameter {@code since}. */
  public static final String CHANGED_SINCE = "ConnectedSession.changedSince";

  /**
   * How many sessions, ended or not, a user had at an address; parameters {@code username}, {@code
   * address}.
   */
  public static final String COUNT_AT_ADDRESS = "ConnectedSession.countAtAddress";

  /** The connected session at a client address; parameters {@code address}, {@code port}. */
  public static final String CONNECTED_AT_ADDRESS = "ConnectedSession.connectedAtAddress";

  /** The same on every server ({@code IdClock}). */
  @Id private Long id;

  @Column(name = "USERNAME", nullable = false, length = 32)
  private String username;

  @Column(name = "LOGIN_AT", nullable = false)
  private Instant loginAt;

  @Column(name = "CLIENT_ADDRESS", nullable = false, length = 45)
  private String clientAddress;

  @Column(name = "CLIENT_PORT", nullable = false)
  private int clientPort;

  @Column(name = "CONNECTED", nullable = false)
  private boolean connected;

  @Column(name = "SERVER", nullable = false, length = 64)
  private String server;

  @Column(name = "LAST_SEEN_AT", nullable = false)
  private Instant lastSeenAt;

  /** SHA-256 of the session token, hex: the token itself is never stored. */
  @Column(name = "TOKEN_HASH", length = 64)
  private String tokenHash;

  /** When the row last changed, by the deployment's revision clock: the newest copy wins. */
  // a default, so that an older database gains the column (create-or-extend-tables)
  @Column(name = "REVISION", nullable = false, columnDefinition = "BIGINT DEFAULT 0 NOT NULL")
  private long revision;

  @Version private long version;

  protected ConnectedSession() {}

  /** A new, connected session. */
  public ConnectedSession(
      long id,
      String username,
      InetSocketAddress client,
      String server,
      Instant loginAt,
      String tokenHash) {
    this(id, username, client, server, loginAt);
    this.tokenHash = tokenHash;
  }

  /** A new, connected session without a token. */
  public ConnectedSession(
      long id, String username, InetSocketAddress client, String server, Instant loginAt) {
    this.id = id;
    this.username = Objects.requireNonNull(username, "username");
    this.clientAddress = client.getAddress().getHostAddress();
    this.clientPort = client.getPort();
    this.server = Objects.requireNonNull(server, "server");
    this.loginAt = Objects.requireNonNull(loginAt, "loginAt");
    this.lastSeenAt = loginAt;
    this.connected = true;
  }

  public Long id() {
    return id;
  }

  public String username() {
    return username;
  }

  public Instant loginAt() {
    return loginAt;
  }

  public InetSocketAddress client() {
    return new InetSocketAddress(clientAddress, clientPort);
  }

  public boolean connected() {
    return connected;
  }

  public String server() {
    return server;
  }

  public Instant lastSeenAt() {
    return lastSeenAt;
  }

  public long version() {
    return version;
  }

  /** Records that the client was heard from. */
  public void seen(Instant at) {
    this.lastSeenAt = at;
  }

  /** The client now sends from another address, proving it holds the token. */
  public void movedTo(InetSocketAddress client) {
    this.clientAddress = client.getAddress().getHostAddress();
    this.clientPort = client.getPort();
  }

  /** Moves the session to another server, e.g. when its server died (seed S3.6). */
  public void moveTo(String newServer) {
    this.server = Objects.requireNonNull(newServer, "newServer");
  }

  /** Marks the session ended: logout, expiry or kick. */
  public void disconnect() {
    this.connected = false;
  }

  /** SHA-256 of the token, or null. */
  public String tokenHash() {
    return tokenHash;
  }

  public long revision() {
    return revision;
  }

  /** Records a change at a revision, always later than the one before. */
  public void revise(long at) {
    this.revision = Math.max(at, revision + 1);
  }

  /** Takes the state of a newer copy from another server. */
  public void takeCopy(
      long revision, String server, boolean connected, InetSocketAddress client, String tokenHash) {
    this.revision = revision;
    this.server = Objects.requireNonNull(server, "server");
    this.connected = connected;
    movedTo(client);
    if (tokenHash != null) {
      this.tokenHash = tokenHash;
    }
  }
}
