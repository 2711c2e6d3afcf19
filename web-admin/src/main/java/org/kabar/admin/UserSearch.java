package org.kabar.admin;

import jakarta.ejb.EJB;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Named;
import jakarta.validation.constraints.Size;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.kabar.server.accounts.boundary.Accounts;
import org.kabar.server.admin.boundary.Console;
import org.kabar.server.presence.boundary.Sessions;

/** Finds accounts by part of their name: metadata only, never a message. */
@Named
@ViewScoped
public class UserSearch implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Accounts shown at most. */
  static final int LIMIT = 100;

  @EJB Accounts accounts;

  @EJB Sessions sessions;

  @EJB Console console;

  @Size(max = 64, message = "at most 64 characters")
  private String text = "";

  private List<Line> found;

  /** One account's line. */
  public record Line(String name, Instant created, boolean disabled, String onlineAt)
      implements Serializable {}

  public String getText() {
    return text;
  }

  public void setText(String text) {
    this.text = text == null ? "" : text.strip();
  }

  public List<Line> getFound() {
    if (found == null) {
      Map<String, String> online =
          sessions.connectedSessions().stream()
              .collect(
                  Collectors.toMap(
                      Sessions.SessionView::user, Sessions.SessionView::server, (a, b) -> a));
      found =
          accounts.search(text, LIMIT).stream()
              .map(
                  u ->
                      new Line(
                          u.username(),
                          u.createdAt(),
                          u.disabled(),
                          online.getOrDefault(u.username(), "")))
              .toList();
    }
    return found;
  }

  /** Deletes an account everywhere, after the operator confirmed it. */
  public void delete(String name) {
    FacesContext faces = FacesContext.getCurrentInstance();
    boolean deleted = console.deleteUser(faces.getExternalContext().getRemoteUser(), name);
    faces.addMessage(
        null,
        new FacesMessage(
            deleted ? FacesMessage.SEVERITY_INFO : FacesMessage.SEVERITY_WARN,
            deleted ? "deleted " + name + " on every server" : name + " no longer exists",
            null));
    found = null;
  }

  /** Nothing to do: the search runs when the results are read. */
  public void search() {
    found = null;
  }
}
