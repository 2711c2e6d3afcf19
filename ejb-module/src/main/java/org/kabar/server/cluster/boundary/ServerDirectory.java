package org.kabar.server.cluster.boundary;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.kabar.server.cluster.entity.ServerEntry;

/** The server list (seed S3.1): which servers this node knows, nearest active ones first. */
@Stateless
public class ServerDirectory {

  @PersistenceContext EntityManager entityManager;

  /** Adds a server if it is not listed yet; returns its entry either way. */
  public ServerEntry add(String address, int port) {
    List<ServerEntry> existing =
        entityManager
            .createNamedQuery(ServerEntry.BY_ADDRESS, ServerEntry.class)
            .setParameter("address", address)
            .setParameter("port", port)
            .getResultList();
    if (!existing.isEmpty()) {
      return existing.get(0);
    }
    ServerEntry entry = new ServerEntry(address, port);
    entityManager.persist(entry);
    return entry;
  }

  /** Every listed server, active or not. */
  public List<ServerEntry> all() {
    return entityManager.createNamedQuery(ServerEntry.ALL, ServerEntry.class).getResultList();
  }

  /** A server announced itself, or answered a check: active, with its round-trip time if known. */
  public void heardFrom(String address, int port, Duration roundTrip) {
    ServerEntry entry = add(address, port);
    entry.answered(roundTrip, Instant.now());
  }

  /** Servers not heard from since the given time become inactive (seed S3.1: Active = 0). */
  public List<ServerEntry> markSilentInactive(Instant since) {
    List<ServerEntry> silent =
        all().stream()
            .filter(ServerEntry::active)
            .filter(entry -> entry.lastSeenAt() == null || entry.lastSeenAt().isBefore(since))
            .toList();
    silent.forEach(ServerEntry::unreachable);
    return silent;
  }

  /** A server could not be reached: inactive until it answers again. */
  public void unreachable(String address, int port) {
    add(address, port).unreachable();
  }

  /** The servers that answered their last check, nearest first. */
  public List<ServerEntry> activeNearestFirst() {
    return entityManager
        .createNamedQuery(ServerEntry.ACTIVE_NEAREST_FIRST, ServerEntry.class)
        .getResultList();
  }
}
