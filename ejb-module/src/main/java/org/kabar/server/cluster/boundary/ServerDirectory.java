package org.kabar.server.cluster.boundary;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.kabar.server.cluster.control.ActivePeers;
import org.kabar.server.cluster.control.ActivePeers.Peer;
import org.kabar.server.cluster.entity.ServerEntry;

/** The server list (seed S3.1): which servers this node knows, nearest active ones first. */
@Stateless
public class ServerDirectory {

  @PersistenceContext EntityManager entityManager;

  @Inject ActivePeers activePeers;

  /** Adds a server if it is not listed yet; returns its entry either way. */
  public ServerEntry add(String address, int port) {
    List<ServerEntry> existing = byAddress(address, port);
    if (!existing.isEmpty()) {
      return existing.get(0);
    }
    ServerEntry entry = new ServerEntry(address, port);
    entityManager.persist(entry);
    activePeers.changed();
    return entry;
  }

  /** Removes a server from the list; false if it was not listed. */
  public boolean remove(String address, int port) {
    List<ServerEntry> existing = byAddress(address, port);
    existing.forEach(entityManager::remove);
    activePeers.changed();
    return !existing.isEmpty();
  }

  private List<ServerEntry> byAddress(String address, int port) {
    return entityManager
        .createNamedQuery(ServerEntry.BY_ADDRESS, ServerEntry.class)
        .setParameter("address", address)
        .setParameter("port", port)
        .getResultList();
  }

  /** Every listed server, active or not. */
  public List<ServerEntry> all() {
    return entityManager.createNamedQuery(ServerEntry.ALL, ServerEntry.class).getResultList();
  }

  /**
   * What a sign of life from a server changed.
   *
   * @param wasInactive the server was new or inactive until now
   * @param lastHeard when it was last heard from before, or the epoch if never
   */
  public record Heard(boolean wasInactive, Instant lastHeard) {}

  /**
   * A server announced itself, or answered a check: active, with its round-trip time if known.
   *
   * @param node the node name it announced, or null
   * @param udpPort the client port it announced (ignored without a node name)
   */
  public Heard heardFrom(String address, int port, Duration roundTrip, String node, int udpPort) {
    ServerEntry entry = add(address, port);
    boolean back = !entry.active() || entry.lastSeenAt() == null;
    Instant before = entry.lastSeenAt() == null ? Instant.EPOCH : entry.lastSeenAt();
    entry.answered(roundTrip, Instant.now());
    if (node != null) {
      entry.announcedAs(node, udpPort);
    }
    activePeers.changed();
    return new Heard(back, before);
  }

  /**
   * Every listed server counts as unverified at start: inactive until it answers. The first frames
   * from the other servers arrive while this runs, so it updates without a version check: read and
   * written back row by row, it failed on the row a frame had just marked active, and the start
   * with it.
   */
  public void unverifiedAtStart() {
    entityManager.createNamedQuery(ServerEntry.MARK_ALL_INACTIVE).executeUpdate();
    activePeers.changed();
  }

  /** A server could not be reached: inactive until it answers again. */
  public void unreachable(String address, int port) {
    entityManager
        .createNamedQuery(ServerEntry.MARK_INACTIVE)
        .setParameter("address", address)
        .setParameter("port", port)
        .executeUpdate();
    activePeers.changed();
  }

  /**
   * The servers that answered their last check, nearest first, as read within the last second
   * (every update goes to them: see {@link ActivePeers}).
   */
  public List<Peer> activePeers() {
    return activePeers.get(
        () ->
            activeNearestFirst().stream()
                .map(entry -> new Peer(entry.address(), entry.port(), entry.node()))
                .toList());
  }

  /** The servers that answered their last check, nearest first. */
  public List<ServerEntry> activeNearestFirst() {
    return entityManager
        .createNamedQuery(ServerEntry.ACTIVE_NEAREST_FIRST, ServerEntry.class)
        .getResultList();
  }
}
