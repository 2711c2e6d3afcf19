package org.kabar.admin;

import jakarta.ejb.EJB;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.server.accounts.boundary.Directory;
import org.kabar.server.accounts.boundary.Registrations;
import org.kabar.server.admin.boundary.Console;

/**
 * Registrations into the directory that wait for an administrator (KABAR_LDAP_REGISTRATION
 * approval): approve one (its entry is created) or reject it (the user is told at the next login).
 */
@Named
@ViewScoped
public class RegistrationList implements Serializable {

  private static final long serialVersionUID = 1L;

  @EJB Registrations registrations;

  @EJB Console console;

  @Inject Directory directory;

  /** One request as listed. */
  public record Line(String name, Instant requested, String address, String state, String by)
      implements Serializable {}

  private List<Line> lines;

  public List<Line> getAll() {
    if (lines == null) {
      lines =
          registrations.all().stream()
              .map(
                  r ->
                      new Line(
                          r.username(),
                          r.requestedAt(),
                          r.address(),
                          r.state().name().toLowerCase(),
                          r.decidedBy() == null ? "" : r.decidedBy()))
              .toList();
    }
    return lines;
  }

  /** How registration works on this node, in words. */
  public String getMode() {
    if (!directory.active()) {
      return "Accounts are kept in this deployment's database: users register themselves.";
    }
    return switch (directory.settings().registration()) {
      case CLOSED -> "Registration is closed: accounts are made in the directory.";
      case OPEN -> "Users register into the directory themselves, at once.";
      case APPROVAL -> "Users ask to register into the directory; an administrator decides here.";
    };
  }

  public void approve(String name) {
    Optional<ErrorCode> refused = console.approveRegistration(admin(), name);
    tell(
        refused.isEmpty(),
        refused.isEmpty()
            ? "approved " + name + ": the entry is in the directory"
            : name + " not approved: " + refused.get().text());
  }

  public void reject(String name) {
    boolean done = console.rejectRegistration(admin(), name);
    tell(done, done ? "rejected " + name : name + " was no longer waiting");
  }

  private void tell(boolean done, String text) {
    FacesContext.getCurrentInstance()
        .addMessage(
            null,
            new FacesMessage(
                done ? FacesMessage.SEVERITY_INFO : FacesMessage.SEVERITY_WARN, text, null));
    lines = null;
  }

  private static String admin() {
    return FacesContext.getCurrentInstance().getExternalContext().getRemoteUser();
  }
}
