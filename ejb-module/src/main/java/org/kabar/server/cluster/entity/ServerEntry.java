package org.kabar.server.cluster.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A known server (the seed's ServerList table): its address and peer port, whether it answered the
 * last check, its measured round-trip time (for nearest-first order) and the fingerprint of the key
 * it proved it holds. The key itself is never stored here.
 */
@Entity
@Table(
    name = "SERVER_LIST",
    indexes = {
      @Index(name = "UX_SERVER_LIST_ADDRESS", columnList = "ADDRESS, PORT", unique = true),
      @Index(name = "IX_SERVER_LIST_ACTIVE", columnList = "ACTIVE, RTT_MICROS")
    })
@NamedQuery(
    name = ServerEntry.ACTIVE_NEAREST_FIRST,
    query =
        "SELECT s FROM ServerEntry s WHERE s.active = TRUE"
            + " ORDER BY s.rttMicros, s.address, s.port")
@NamedQuery(name = ServerEntry.ALL, query = "SELECT s FROM ServerEntry s ORDER BY s.id")
@NamedQuery(
    name = ServerEntry.MARK_INACTIVE,
    query =
        "UPDATE ServerEntry s SET s.active = FALSE WHERE s.address = :address AND s.port = :port")
@NamedQuery(
    name = ServerEntry.MARK_ALL_INACTIVE,
    query = "UPDATE ServerEntry s SET s.active = FALSE")
@NamedQuery(
    name = ServerEntry.BY_ADDRESS,
    query = "SELECT s FROM ServerEntry s WHERE s.address = :address AND s.port = :port")
public class ServerEntry {

  /** The active servers, nearest first. */
  public static final String ACTIVE_NEAREST_FIRST = "ServerEntry.activeNearestFirst";

  /** Every listed server. */
  public static final String ALL = "ServerEntry.all";

  /**
   * Marks one server inactive without a version check: several threads may find it unreachable at
   * once, and that must not fail any of them. Parameters {@code address}, {@code port}.
   */
  public static final String MARK_INACTIVE = "ServerEntry.markInactive";

  /** Marks every server inactive without a version check (at start, see {@code MARK_INACTIVE}). */
  public static final String MARK_ALL_INACTIVE = "ServerEntry.markAllInactive";

  /** One server by address; parameters {@code address}, {@code port}. */
  public static final String BY_ADDRESS = "ServerEntry.byAddress";

  /** Round-trip time recorded for a server never measured: sorts after every measured one. */
  public static final long UNMEASURED = Long.MAX_VALUE;

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(name = "ADDRESS", nullable = false, length = 255)
  private String address;

  @Column(name = "PORT", nullable = false)
  private int port;

  @Column(name = "ACTIVE", nullable = false)
  private boolean active;

  @Column(name = "KEY_FINGERPRINT", length = 64)
  private String keyFingerprint;

  @Column(name = "RTT_MICROS", nullable = false)
  private long rttMicros = UNMEASURED;

  @Column(name = "LAST_SEEN_AT")
  private Instant lastSeenAt;

  /** The node name it announced: the value of Connected.Server for its users. */
  @Column(name = "NODE", length = 64)
  private String node;

  /** The UDP port its clients use, as it announced; null before its first announcement. */
  @Column(name = "CLIENT_PORT")
  private Integer clientPort;

  @Version private long version;

  protected ServerEntry() {}

  /** A server added to the list, active until a check says otherwise. */
  public ServerEntry(String address, int port) {
    this.address = Objects.requireNonNull(address, "address");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    this.port = port;
    this.active = true;
  }

  public Long id() {
    return id;
  }

  public String address() {
    return address;
  }

  public int port() {
    return port;
  }

  public boolean active() {
    return active;
  }

  public String keyFingerprint() {
    return keyFingerprint;
  }

  public long rttMicros() {
    return rttMicros;
  }

  public Instant lastSeenAt() {
    return lastSeenAt;
  }

  /**
   * The server answered a check or announced itself: active again, with its round-trip time when
   * measured (null keeps the last one).
   */
  public void answered(Duration roundTrip, Instant at) {
    this.active = true;
    if (roundTrip != null) {
      this.rttMicros = roundTrip.toNanos() / 1000;
    }
    this.lastSeenAt = at;
  }

  /** The node name it announced, or null before its first announcement. */
  public String node() {
    return node;
  }

  /** Records the node name and client port the server announced. */
  public void announcedAs(String nodeName, int udpPort) {
    this.node = Objects.requireNonNull(nodeName, "nodeName");
    this.clientPort = udpPort;
  }

  /** The UDP port its clients use: as announced, else the standard 4999. */
  public int clientPort() {
    return clientPort == null ? 4999 : clientPort;
  }

  /** The server did not answer a check (seed S3.1: Active = 0). */
  public void unreachable() {
    this.active = false;
  }

  /** Records the fingerprint of the key the server proved it holds. */
  public void provedKey(String fingerprint) {
    this.keyFingerprint = fingerprint;
  }
}
