package org.kabar.admin;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.kabar.server.accounts.boundary.Accounts;
import org.kabar.server.presence.boundary.Sessions;

/** Finds accounts by part of their name: metadata only, never a message. */
@Named
@RequestScoped
public class UserSearch {

  /** Accounts shown at most. */
  static final int LIMIT = 100;

  @EJB Accounts accounts;

  @EJB Sessions sessions;

  @Size(max = 64, message = "at most 64 characters")
  private String text = "";

  private List<Line> found;

  /** One account's line. */
  public record Line(String name, Instant created, boolean disabled, String onlineAt) {}

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

  /** Nothing to do: the search runs when the results are read. */
  public void search() {
    found = null;
  }
}
