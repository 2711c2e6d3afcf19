package org.kabar.server.node;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The node's own settings, read through MicroProfile Config: a property {@code kabar.node.name} is
 * overridden by the environment variable {@code KABAR_NODE_NAME}, and so on.
 */
@ApplicationScoped
public class NodeSettings {

  @Inject
  @ConfigProperty(name = "kabar.node.name", defaultValue = "node1")
  String nodeName;

  @Inject
  @ConfigProperty(name = "kabar.db.class", defaultValue = EmbeddedDatabase.EMBEDDED_CLASS)
  String databaseClass;

  @Inject
  @ConfigProperty(name = "kabar.db.name", defaultValue = NodeResources.DEFAULT_DATABASE)
  String databaseName;

  @Inject
  @ConfigProperty(name = "kabar.bind", defaultValue = "127.0.0.1")
  String bind;

  @Inject
  @ConfigProperty(name = "kabar.advertise", defaultValue = " ")
  String advertise;

  @Inject
  @ConfigProperty(name = "kabar.tcp.port", defaultValue = "5000")
  int tcpPort;

  @Inject
  @ConfigProperty(name = "kabar.udp.port", defaultValue = "4999")
  int udpPort;

  @Inject
  @ConfigProperty(name = "kabar.peer.check.seconds", defaultValue = "300")
  int peerCheckSeconds;

  @Inject
  @ConfigProperty(name = "kabar.peer.dead.seconds", defaultValue = "5")
  int peerDeadSeconds;

  @Inject
  @ConfigProperty(name = "kabar.replication.seconds", defaultValue = "60")
  int replicationSeconds;

  @Inject
  @ConfigProperty(name = "kabar.node.number", defaultValue = "-1")
  int nodeNumber;

  @Inject
  @ConfigProperty(name = "kabar.peer.fanout", defaultValue = "2")
  int peerFanout;

  @Inject
  @ConfigProperty(name = "kabar.http.port", defaultValue = "8080")
  int httpPort;

  @Inject
  @ConfigProperty(name = "kabar.quota", defaultValue = "10000")
  int quota;

  private final AtomicInteger quotaSet = new AtomicInteger(-1);

  /** The address other servers reach this one at: KABAR_ADVERTISE, else the bind address. */
  public String advertisedHost() {
    return advertise.isBlank() ? bind : advertise.strip();
  }

  /** Whether a server-list entry is this server itself. */
  public boolean isSelf(String address, int port) {
    return port == tcpPort && address.equals(advertisedHost());
  }

  public int tcpPort() {
    return tcpPort;
  }

  public int udpPort() {
    return udpPort;
  }

  /**
   * Logged-in users at most on this node (seed S3.5): KABAR_QUOTA, or as an administrator set it.
   */
  public int quota() {
    int changed = quotaSet.get();
    return changed >= 0 ? changed : quota;
  }

  /** An administrator changes the quota of this node until it restarts. */
  public void changeQuota(int users) {
    if (users < 0) {
      throw new IllegalArgumentException("a quota is 0 or more users");
    }
    quotaSet.set(users);
  }

  /** The HTTP port of /admin, /health and /metrics. */
  public int httpPort() {
    return httpPort;
  }

  /** How often the other servers are checked (seed S3.1: every 5 minutes by default). */
  public int peerCheckSeconds() {
    return peerCheckSeconds;
  }

  /**
   * After how many seconds without a heartbeat a server is taken for dead (its sessions are taken
   * over): from 2 to 60, 5 by default; a value outside is held to the nearer bound.
   */
  public int peerDeadSeconds() {
    return Math.max(2, Math.min(60, peerDeadSeconds));
  }

  /** How often Connected rows and undelivered messages are sent to peers (seed S3.3, S3.4). */
  public int replicationSeconds() {
    return replicationSeconds;
  }

  /** To how many of the nearest servers an update is sent (seed S3.8); at least 1. */
  public int peerFanout() {
    return Math.max(1, peerFanout);
  }

  /**
   * The number (0–1023) inside every id this node makes: KABAR_NODE_NUMBER, else derived from the
   * node name. Two nodes of one deployment must not share it; a peer announcing the same number is
   * refused with an error naming both.
   */
  public int nodeNumber() {
    if (nodeNumber >= 0) {
      return nodeNumber;
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(nodeName.getBytes(StandardCharsets.UTF_8));
      return ((digest[0] & 0xff) << 8 | (digest[1] & 0xff)) % 1024;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
  }

  /** The node's name, stored in Connected.Server for the users logged in here. */
  public String nodeName() {
    return nodeName;
  }

  /** True when the database runs inside this node rather than on a Derby Network Server. */
  public boolean embeddedDatabase() {
    return EmbeddedDatabase.EMBEDDED_CLASS.equals(databaseClass);
  }

  /** The Derby database name: a path for embedded Derby, a name on the network server. */
  public String databaseName() {
    return databaseName;
  }
}
