package org.kabar.admin;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.util.Optional;
import org.kabar.server.admin.boundary.AdminSetup;
import org.kabar.server.admin.boundary.Administrators;

/** The one-time setup page: creates the first administrator with the token from the node log. */
@Named
@RequestScoped
public class FirstAdministrator {

  @Inject FacesContext faces;

  @EJB AdminSetup setup;

  private String token;

  @NotBlank(message = "choose a name")
  @Pattern(
      regexp = "[a-z0-9][a-z0-9_.-]{0,31}",
      message = "1-32 of a-z, 0-9, _ . - starting with a letter or digit")
  private String name;

  @NotBlank(message = "choose a password")
  @Size(
      min = Administrators.MIN_PASSWORD,
      max = 128,
      message = "between " + Administrators.MIN_PASSWORD + " and 128 characters")
  private String password;

  /** The token comes with the link; a form post carries it back in a hidden field. */
  @PostConstruct
  void tokenFromLink() {
    token = faces.getExternalContext().getRequestParameterMap().get("token");
  }

  public String getToken() {
    return token;
  }

  public void setToken(String token) {
    this.token = token;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getPassword() {
    return password;
  }

  public void setPassword(String password) {
    this.password = password;
  }

  /** Whether the token in the link is the open setup token. */
  public boolean isValid() {
    return setup.open(token);
  }

  public void create() throws IOException {
    Optional<String> refusal = setup.createFirst(token, name, password);
    if (refusal.isPresent()) {
      faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, refusal.get(), null));
      return;
    }
    ExternalContext external = faces.getExternalContext();
    external.getFlash().put("notice", "administrator " + name + " created: sign in");
    external.redirect(external.getRequestContextPath() + "/login.xhtml");
  }
}
