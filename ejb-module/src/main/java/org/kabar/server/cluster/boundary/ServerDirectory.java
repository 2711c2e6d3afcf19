package org.kabar.server.cluster.boundary;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
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

  /** The servers that answered their last check, nearest first. */
  public List<ServerEntry> activeNearestFirst() {
    return entityManager
        .createNamedQuery(ServerEntry.ACTIVE_NEAREST_FIRST, ServerEntry.class)
        .getResultList();
  }
}
