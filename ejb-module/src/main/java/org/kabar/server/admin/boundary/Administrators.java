package org.kabar.server.admin.boundary;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.kabar.protocol.client.Names;
import org.kabar.server.accounts.boundary.Directory;
import org.kabar.server.accounts.control.PasswordHashing;
import org.kabar.server.admin.entity.Administrator;
import org.kabar.server.admin.entity.AuditEntry;
import org.kabar.server.node.NodeSettings;

/**
 * The web console's administrators and its audit log. There is no built-in administrator: the first
 * is created through the one-time setup link ({@link AdminSetup}).
 */
@Stateless
public class Administrators {

  /** Shortest administrator password accepted. */
  public static final int MIN_PASSWORD = 10;

  @PersistenceContext EntityManager entityManager;

  @Inject PasswordHashing passwords;

  @Inject NodeSettings settings;

  @Inject Directory directory;

  /** Whether any administrator exists: here, or as a directory group. */
  public boolean any() {
    return (directory.active() && directory.settings().adminGroup() != null)
        || entityManager.createNamedQuery(Administrator.COUNT, Long.class).getSingleResult() > 0;
  }

  /**
   * Whether the name and password are an administrator's: one of this node's (costs the same for
   * unknown names), or a member of the directory's administrators' group ({@code
   * KABAR_LDAP_ADMIN_GROUP}), checked by binding as the member.
   */
  public boolean verify(String name, String password) {
    if (password == null) {
      return false;
    }
    Administrator admin = name == null ? null : entityManager.find(Administrator.class, name);
    if (passwords.matches(password, admin == null ? null : admin.passwordHash())) {
      return true;
    }
    return admin == null && directory.administrator(name, password);
  }

  /**
   * Creates an administrator.
   *
   * @return empty if created, else what is wrong with the name or password
   */
  public Optional<String> create(String name, String password, String createdBy) {
    if (name == null || !name.equals(Names.username(name))) {
      return Optional.of("a name is 1-32 of a-z, 0-9, _ . - starting with a letter or digit");
    }
    if (password == null || password.length() < MIN_PASSWORD) {
      return Optional.of("a password has at least " + MIN_PASSWORD + " characters");
    }
    if (entityManager.find(Administrator.class, name) != null) {
      return Optional.of("that administrator exists already");
    }
    entityManager.persist(new Administrator(name, passwords.hash(password), Instant.now()));
    record(createdBy, "created administrator " + name);
    return Optional.empty();
  }

  /** Every administrator of this node, by name. */
  public List<Administrator> all() {
    return entityManager
        .createQuery("SELECT a FROM Administrator a ORDER BY a.name", Administrator.class)
        .getResultList();
  }

  /**
   * Removes another administrator; nobody removes themselves, so one always remains.
   *
   * @return empty if removed, else why not
   */
  public Optional<String> remove(String name, String removedBy) {
    if (name.equals(removedBy)) {
      return Optional.of("you cannot remove yourself: another administrator can");
    }
    Administrator admin = entityManager.find(Administrator.class, name);
    if (admin == null) {
      return Optional.of(name + " is no longer an administrator");
    }
    entityManager.remove(admin);
    record(removedBy, "removed administrator " + name);
    return Optional.empty();
  }

  /**
   * Gives an administrator a new password, if the current one is right.
   *
   * @return empty if changed, else why not
   */
  public Optional<String> changePassword(String name, String current, String chosen) {
    if (!verify(name, current)) {
      return Optional.of("the current password is not right");
    }
    if (chosen == null || chosen.length() < MIN_PASSWORD || chosen.length() > 128) {
      return Optional.of("between " + MIN_PASSWORD + " and 128 characters");
    }
    entityManager.find(Administrator.class, name).changePasswordHash(passwords.hash(chosen));
    record(name, "changed their password");
    return Optional.empty();
  }

  /** Writes one entry of the audit log. */
  public void record(String who, String what) {
    entityManager.persist(new AuditEntry(Instant.now(), who, what, settings.nodeName()));
  }

  /** The newest entries of the audit log. */
  public List<AuditEntry> audit(int limit) {
    return entityManager
        .createNamedQuery(AuditEntry.NEWEST, AuditEntry.class)
        .setMaxResults(limit)
        .getResultList();
  }
}
