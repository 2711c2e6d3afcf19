package org.kabar.admin;

import jakarta.ejb.EJB;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.List;
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

  private List<SessionView> connected;

  public List<SessionView> getConnected() {
    if (connected == null) {
      connected = sessions.connectedSessions();
    }
    return connected;
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
    connected = null;
  }
}
