package org.kabar.admin;

import jakarta.ejb.EJB;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.kabar.protocol.client.Names;
import org.kabar.server.accounts.boundary.Accounts;
import org.kabar.server.accounts.boundary.Directory;
import org.kabar.server.admin.boundary.Console;
import org.kabar.server.messaging.boundary.Mailbox;
import org.kabar.server.presence.boundary.Sessions;

/**
 * Finds accounts by part of their name and acts on one: metadata only (sessions, a count of waiting
 * messages), never a message.
 */
@Named
@ViewScoped
public class UserSearch implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Accounts found at most; the operator narrows the search for more. */
  static final int LIMIT = 1000;

  @EJB Accounts accounts;

  @EJB Sessions sessions;

  @EJB Mailbox mailbox;

  @EJB Console console;

  @Inject Directory directory;

  /** Whether passwords live in the directory (then the console cannot reset them). */
  public boolean isDirectoryAccounts() {
    return directory.active();
  }

  @Size(max = 64, message = "at most 64 characters")
  private String text = "";

  @Size(
      min = Names.MIN_PASSWORD,
      max = Names.MAX_PASSWORD,
      message = "8 to 128 characters, as for a client")
  @Pattern(regexp = "\\S*", message = "no spaces: the client could not type it")
  private String newPassword;

  private final Table<Line> table =
      new Table<Line>(25)
          .column("name", Line::name)
          .column("created", Line::created)
          .column("online", Line::onlineAt);

  private boolean loaded;

  private String selected;

  private Detail detail;

  /** One account's line. */
  public record Line(String name, Instant created, boolean disabled, String onlineAt)
      implements Serializable {}

  /** The account picked from the list, with what the console may show of it. */
  public record Detail(
      String name,
      String displayName,
      Instant created,
      boolean disabled,
      long undelivered,
      List<Sessions.SessionView> sessions)
      implements Serializable {}

  public String getText() {
    return text;
  }

  public void setText(String text) {
    this.text = text == null ? "" : text.strip();
  }

  public String getNewPassword() {
    return newPassword;
  }

  public void setNewPassword(String newPassword) {
    this.newPassword = newPassword;
  }

  /** The accounts found, sorted and paged. */
  public Table<Line> getTable() {
    if (!loaded) {
      Map<String, String> online =
          sessions.connectedSessions().stream()
              .collect(
                  Collectors.toMap(
                      Sessions.SessionView::user, Sessions.SessionView::server, (a, b) -> a));
      table.setRows(
          accounts.search(text, LIMIT).stream()
              .map(
                  u ->
                      new Line(
                          u.username(),
                          u.createdAt(),
                          u.disabled(),
                          online.getOrDefault(u.username(), "")))
              .toList());
      loaded = true;
    }
    return table;
  }

  /** One account renamed because another, made earlier at another server, had its name. */
  public record Conflict(String name, String registeredAs, Instant created)
      implements Serializable {}

  private List<Conflict> conflicts;

  /** The renamed accounts not settled yet, by name. */
  public List<Conflict> getConflicts() {
    if (conflicts == null) {
      conflicts =
          accounts.conflicts().stream()
              .map(u -> new Conflict(u.username(), u.conflictOf(), u.createdAt()))
              .toList();
    }
    return conflicts;
  }

  /** The administrator told the person the new name: the account leaves the list. */
  public void settle(String name) {
    tell(console.settleConflict(admin(), name), "settled " + name);
    conflicts = null;
  }

  /** Whether the search hit the limit, so that some accounts are not listed. */
  public boolean isTruncated() {
    return getTable().getTotal() >= LIMIT;
  }

  /** The account picked, as read after the last action; null if none is picked or it is gone. */
  public Detail getDetail() {
    return detail;
  }

  private void readDetail() {
    detail =
        selected == null
            ? null
            : accounts
                .account(selected)
                .map(
                    a ->
                        new Detail(
                            a.username(),
                            a.displayName() == null ? "" : a.displayName(),
                            a.createdAt(),
                            a.disabled(),
                            mailbox.undeliveredCount(a.username()),
                            sessions.connectedSessions().stream()
                                .filter(s -> s.user().equals(a.username()))
                                .toList()))
                .orElse(null);
  }

  /** Picks an account to see and act on. */
  public void select(String name) {
    selected = name;
    newPassword = null;
    readDetail();
  }

  /** Closes the account's panel. */
  public void close() {
    selected = null;
    detail = null;
  }

  /** Sorts the list by a column (again: the other way round). */
  public void sort(String column) {
    getTable().sort(column);
  }

  /** Disables or enables the picked account on every server. */
  public void changeDisabled(boolean disabled) {
    if (selected == null) {
      return;
    }
    boolean done = console.changeDisabled(admin(), selected, disabled);
    tell(
        done,
        (disabled ? "disabled " : "enabled ")
            + selected
            + " on every server"
            + (disabled ? "; its sessions were ended" : ""));
    loaded = false;
    readDetail();
  }

  /** Gives the picked account the password typed in, on every server. */
  public void resetPassword() {
    if (selected == null || newPassword == null) {
      return;
    }
    boolean done = console.resetPassword(admin(), selected, newPassword);
    tell(done, "set a new password for " + selected + "; its sessions were ended");
    newPassword = null;
    readDetail();
  }

  /** Deletes an account everywhere, after the operator confirmed it. */
  public void delete(String name) {
    conflicts = null;
    boolean deleted = console.deleteUser(admin(), name);
    tell(deleted, "deleted " + name + " on every server");
    if (name.equals(selected)) {
      close();
    }
    loaded = false;
  }

  /** Runs the search again with the text typed in. */
  public void search() {
    loaded = false;
  }

  private void tell(boolean done, String what) {
    FacesContext.getCurrentInstance()
        .addMessage(
            null,
            new FacesMessage(
                done ? FacesMessage.SEVERITY_INFO : FacesMessage.SEVERITY_WARN,
                done ? what : "that account no longer exists",
                null));
  }

  private static String admin() {
    return FacesContext.getCurrentInstance().getExternalContext().getRemoteUser();
  }
}
