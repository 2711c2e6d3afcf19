package org.kabar.server.accounts.boundary;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.kabar.server.accounts.entity.RegistrationRequest;

/**
 * Registrations into the directory waiting for an administrator's decision ({@code
 * KABAR_LDAP_REGISTRATION=approval}), and those rejected, so that the client can be told.
 */
@Stateless
public class Registrations {

  @PersistenceContext EntityManager entityManager;

  /** Takes a request; the name must not be requested already. */
  public void add(String username, String userPassword, String address) {
    entityManager.persist(new RegistrationRequest(username, userPassword, Instant.now(), address));
    entityManager.flush();
  }

  /** The request of a name, pending or rejected. */
  public Optional<RegistrationRequest> of(String username) {
    return entityManager
        .createQuery(
            "SELECT r FROM RegistrationRequest r WHERE r.username = :username",
            RegistrationRequest.class)
        .setParameter("username", username)
        .getResultList()
        .stream()
        .findFirst();
  }

  /** Every request, pending first, oldest first. */
  public List<RegistrationRequest> all() {
    return entityManager
        .createQuery(
            "SELECT r FROM RegistrationRequest r ORDER BY r.state, r.requestedAt",
            RegistrationRequest.class)
        .getResultList();
  }

  /**
   * Rejects a pending request.
   *
   * @return whether it was pending
   */
  public boolean reject(String username, String admin) {
    Optional<RegistrationRequest> request = of(username);
    if (request.isEmpty() || request.get().state() != RegistrationRequest.State.PENDING) {
      return false;
    }
    request.get().reject(admin);
    return true;
  }

  /** Forgets a request: approved (the account exists now), or a rejection the user was told. */
  public void remove(String username) {
    of(username).ifPresent(entityManager::remove);
  }
}
