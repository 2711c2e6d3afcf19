package org.kabar.server.accounts.boundary;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.server.accounts.control.PasswordHashing;
import org.kabar.server.accounts.entity.UserAccount;
import org.kabar.server.messaging.entity.StoredMessage;
import org.kabar.server.presence.entity.ConnectedSession;

/** Registers users, checks their credentials and removes them (seed S1.1, S1.7). */
@Stateless
public class Accounts {

  @PersistenceContext EntityManager entityManager;

  @Inject PasswordHashing passwords;

  /**
   * Registers a username with a password.
   *
   * @return empty on success, else why not
   */
  public Optional<ErrorCode> register(String username, String password) {
    if (find(username).isPresent()) {
      return Optional.of(ErrorCode.NAME_TAKEN);
    }
    entityManager.persist(new UserAccount(username, passwords.hash(password), Instant.now()));
    entityManager.flush(); // a concurrent registration of the name fails here, not after the reply
    return Optional.empty();
  }

  /** Whether the credentials are right; takes as long for an unknown user as for a known one. */
  public boolean verify(String username, String password) {
    Optional<UserAccount> account = find(username);
    boolean matches =
        passwords.matches(password, account.map(UserAccount::passwordHash).orElse(null));
    return matches && !account.get().disabled();
  }

  /**
   * Accounts whose name contains the text (any characters; LIKE wildcards in it match literally),
   * by name, at most {@code limit}.
   */
  public List<UserAccount> search(String text, int limit) {
    String escaped = text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    return entityManager
        .createQuery(
            "SELECT u FROM UserAccount u WHERE u.username LIKE :pattern ESCAPE '!'"
                + " ORDER BY u.username",
            UserAccount.class)
        .setParameter("pattern", "%" + escaped.toLowerCase(Locale.ROOT) + "%")
        .setMaxResults(limit)
        .getResultList();
  }

  /** Accounts created at or after a time, oldest first: for a server catching up. */
  public List<UserAccount> createdSince(Instant since) {
    return entityManager
        .createNamedQuery(UserAccount.CREATED_SINCE, UserAccount.class)
        .setParameter("since", since)
        .getResultList();
  }

  /** Adds an account registered at another server, with its hash, unless the name exists. */
  public void importUser(String username, String passwordHash, Instant createdAt) {
    if (find(username).isEmpty()) {
      entityManager.persist(new UserAccount(username, passwordHash, createdAt));
    }
  }

  /**
   * Removes an account with its sessions and inbox: unregistered here, or at another server that
   * told this one.
   */
  public void remove(String username) {
    entityManager
        .createNamedQuery(ConnectedSession.CONNECTED_USER, ConnectedSession.class)
        .setParameter("username", username)
        .getResultList()
        .forEach(ConnectedSession::disconnect);
    entityManager
        .createNamedQuery(StoredMessage.DELETE_INBOX)
        .setParameter("destination", username)
        .executeUpdate();
    entityManager
        .createNamedQuery(UserAccount.DELETE_BY_USERNAME)
        .setParameter("username", username)
        .executeUpdate();
  }

  /** The stored account, for replication: name, hash, creation time. */
  public Optional<UserAccount> account(String username) {
    return find(username);
  }

  /** Whether the username is registered. */
  public boolean exists(String username) {
    return find(username).isPresent();
  }

  /**
   * Removes the account, its sessions and its inbox, if the password is right.
   *
   * @return empty on success, else why not
   */
  public Optional<ErrorCode> unregister(String username, String password) {
    if (!verify(username, password)) {
      return Optional.of(ErrorCode.WRONG_CREDENTIALS);
    }
    remove(username);
    return Optional.empty();
  }

  private Optional<UserAccount> find(String username) {
    List<UserAccount> found =
        entityManager
            .createNamedQuery(UserAccount.BY_USERNAME, UserAccount.class)
            .setParameter("username", username)
            .getResultList();
    return found.stream().findFirst();
  }
}
