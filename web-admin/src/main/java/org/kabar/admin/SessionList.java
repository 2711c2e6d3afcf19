package org.kabar.admin;

import jakarta.ejb.EJB;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Named;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import org.kabar.protocol.client.Names;
import org.kabar.server.admin.boundary.Console;
import org.kabar.server.presence.boundary.Sessions;
import org.kabar.server.presence.boundary.Sessions.SessionView;

/** Who is logged in where (the Connected table of the whole deployment), and kicking a session. */
@Named
@ViewScoped
public class SessionList implements Serializable {

  private static final long serialVersionUID = 1L;

  @EJB Sessions sessions;

  @EJB Console console;

  private final Table<SessionView> table =
      new Table<SessionView>(25)
          .column("user", SessionView::user)
          .column("server", SessionView::server)
          .column("since", SessionView::since)
          .column("seen", SessionView::lastSeen);

  private boolean loaded;

  @NotBlank(message = "type the notice")
  @Pattern(regexp = "[^\\p{Cntrl}]*", message = "one line, without control characters")
  private String notice;

  public String getNotice() {
    return notice;
  }

  public void setNotice(String notice) {
    this.notice = notice == null ? null : notice.strip();
  }

  /** Sends the notice typed in to every user online on every server. */
  public void sendNotice() {
    FacesContext faces = FacesContext.getCurrentInstance();
    if (notice.getBytes(StandardCharsets.UTF_8).length > Names.MAX_TEXT_BYTES) {
      faces.addMessage(
          "notice:text",
          new FacesMessage(
              FacesMessage.SEVERITY_ERROR,
              "at most " + Names.MAX_TEXT_BYTES + " bytes, like any message",
              null));
      return;
    }
    int users = console.sendNotice(faces.getExternalContext().getRemoteUser(), notice);
    faces.addMessage(
        null,
        new FacesMessage(
            FacesMessage.SEVERITY_INFO,
            users == 0
                ? "nobody is online: the notice went to no one"
                : "sent the notice to " + users + (users == 1 ? " user" : " users") + " online",
            null));
    notice = null;
  }

  /** The connected sessions, sorted and paged. */
  public Table<SessionView> getTable() {
    if (!loaded) {
      table.setRows(sessions.connectedSessions());
      loaded = true;
    }
    return table;
  }

  /** Sorts by a column (again: the other way round). */
  public void sort(String column) {
    getTable().sort(column);
  }

  /** Ends a session; the client is told. */
  public void kick(long sessionId, String user) {
    FacesContext faces = FacesContext.getCurrentInstance();
    String admin = faces.getExternalContext().getRemoteUser();
    boolean ended = console.kick(admin, sessionId);
    faces.addMessage(
        null,
        new FacesMessage(
            ended ? FacesMessage.SEVERITY_INFO : FacesMessage.SEVERITY_WARN,
            ended ? "ended the session of " + user : user + " was no longer connected",
            null));
    loaded = false;
  }
}
