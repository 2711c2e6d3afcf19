package org.kabar.admin;

import jakarta.ejb.EJB;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Named;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.kabar.server.admin.boundary.Administrators;

/**
 * This node's administrators: another one added (by name and a first password), one removed, and
 * one's own password changed.
 */
@Named
@ViewScoped
public class AdministratorList implements Serializable {

  private static final long serialVersionUID = 1L;

  @EJB Administrators administrators;

  /** One administrator as listed. */
  public record Line(String name, Instant created) implements Serializable {}

  private String newName;
  private String newPassword;
  private String currentPassword;
  private String chosenPassword;

  private List<Line> lines;

  public List<Line> getAll() {
    if (lines == null) {
      lines = administrators.all().stream().map(a -> new Line(a.name(), a.createdAt())).toList();
    }
    return lines;
  }

  /** Adds an administrator with a first password, to be handed over to them. */
  public void add() {
    Optional<String> refusal = administrators.create(newName, newPassword, me());
    if (refusal.isPresent()) {
      error("add:name", refusal.get());
      return;
    }
    info("added administrator " + newName);
    newName = null;
    newPassword = null;
    lines = null;
  }

  /** Removes another administrator, after the operator confirmed it. */
  public void remove(String name) {
    Optional<String> refusal = administrators.remove(name, me());
    if (refusal.isPresent()) {
      error(null, refusal.get());
    } else {
      info("removed administrator " + name);
    }
    lines = null;
  }

  /** Changes the signed-in administrator's own password. */
  public void changePassword() {
    Optional<String> refusal = administrators.changePassword(me(), currentPassword, chosenPassword);
    if (refusal.isPresent()) {
      error("own:current", refusal.get());
      return;
    }
    info("your password is changed");
  }

  public boolean isMe(String name) {
    return name.equals(me());
  }

  private static String me() {
    return FacesContext.getCurrentInstance().getExternalContext().getRemoteUser();
  }

  private static void info(String text) {
    FacesContext.getCurrentInstance()
        .addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, text, null));
  }

  private static void error(String field, String text) {
    FacesContext.getCurrentInstance()
        .addMessage(field, new FacesMessage(FacesMessage.SEVERITY_ERROR, text, null));
  }

  public String getNewName() {
    return newName;
  }

  public void setNewName(String newName) {
    this.newName = newName == null ? null : newName.strip();
  }

  public String getNewPassword() {
    return newPassword;
  }

  public void setNewPassword(String newPassword) {
    this.newPassword = newPassword;
  }

  public String getCurrentPassword() {
    return currentPassword;
  }

  public void setCurrentPassword(String currentPassword) {
    this.currentPassword = currentPassword;
  }

  public String getChosenPassword() {
    return chosenPassword;
  }

  public void setChosenPassword(String chosenPassword) {
    this.chosenPassword = chosenPassword;
  }
}
