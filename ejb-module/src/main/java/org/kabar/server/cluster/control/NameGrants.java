package org.kabar.server.cluster.control;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.server.cluster.entity.NameGrant;

/**
 * The grants of usernames this server has made, on disk (see {@link NameGrant}): at most one claim
 * holds a name here at a time, and each grant is committed before it is answered.
 */
@Stateless
public class NameGrants {

  @PersistenceContext EntityManager entityManager;

  /**
   * Grants the name to the claim unless another claim holds it: committed on return.
   *
   * @return true if the name is (now, or already) granted to this claim
   */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public boolean grant(String name, String claimId, String claimant) {
    NameGrant held = entityManager.find(NameGrant.class, name);
    if (held != null) {
      return held.claimId().equals(claimId);
    }
    entityManager.persist(new NameGrant(name, claimId, claimant, Instant.now()));
    entityManager.flush(); // two claims at once: the second fails on the primary key, here
    return true;
  }

  /** Forgets the grant of the name to this claim, if it holds. */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public boolean withdraw(String name, String claimId) {
    return entityManager
            .createNamedQuery(NameGrant.REMOVE)
            .setParameter("name", name)
            .setParameter("claimId", claimId)
            .executeUpdate()
        > 0;
  }

  /** Forgets whatever grant the name has: its account is here now. */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public void forget(String name) {
    entityManager
        .createNamedQuery(NameGrant.REMOVE_NAME)
        .setParameter("name", name)
        .executeUpdate();
  }

  /**
   * Registers a name under this server's own claim of it, in one transaction: the claim's row is
   * removed and the account made, or neither. A claim given up meanwhile (its row gone, see {@link
   * #withdraw}) registers nothing.
   *
   * @param create makes the account in the caller's transaction; empty on success, else why not
   * @return empty on success, else why not
   */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public Optional<ErrorCode> registerUnder(
      String name, String claimId, Supplier<Optional<ErrorCode>> create) {
    int removed =
        entityManager
            .createNamedQuery(NameGrant.REMOVE)
            .setParameter("name", name)
            .setParameter("claimId", claimId)
            .executeUpdate();
    if (removed != 1) {
      return Optional.of(ErrorCode.SERVER_ERROR); // given up after the servers agreed: try again
    }
    Optional<ErrorCode> refused = create.get();
    if (refused.isPresent()) {
      throw new NotRegistered(refused.get()); // rolls the removal back with the rest
    }
    return Optional.empty();
  }

  /** Grants made before an instant, oldest first. */
  @TransactionAttribute(TransactionAttributeType.SUPPORTS)
  public List<NameGrant> grantedBefore(Instant before) {
    return entityManager
        .createNamedQuery(NameGrant.GRANTED_BEFORE, NameGrant.class)
        .setParameter("before", before)
        .getResultList();
  }

  /** Every grant held here, oldest first: for the console. */
  @TransactionAttribute(TransactionAttributeType.SUPPORTS)
  public List<NameGrant> all() {
    return entityManager.createNamedQuery(NameGrant.ALL, NameGrant.class).getResultList();
  }

  /** A registration that did not happen: thrown to roll its transaction back. */
  @jakarta.ejb.ApplicationException(rollback = true)
  public static class NotRegistered extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ErrorCode code;

    public NotRegistered(ErrorCode code) {
      super(code.name(), null, false, false);
      this.code = code;
    }

    public ErrorCode code() {
      return code;
    }
  }
}
