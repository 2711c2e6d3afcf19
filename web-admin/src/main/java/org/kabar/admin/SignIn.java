package org.kabar.admin;

import static jakarta.security.enterprise.authentication.mechanism.http.AuthenticationParameters.withParams;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.SecurityContext;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import org.kabar.server.admin.boundary.Administrators;
import org.kabar.server.admin.boundary.ConsoleSignIn;

/**
 * The sign-in form, and signing out. A sign-in is checked by {@link ConsoleSignIn} (throttled,
 * audited), then handed to the container's mechanism, which admits what was checked.
 */
@Named
@RequestScoped
public class SignIn {

  @Inject SecurityContext security;

  @Inject FacesContext faces;

  @EJB Administrators administrators;

  @EJB ConsoleSignIn signIns;

  @Inject SignInTicket ticket;

  @NotBlank(message = "enter your name")
  @Size(max = 32, message = "at most 32 characters")
  private String name;

  @NotBlank(message = "enter your password")
  @Size(max = 128, message = "at most 128 characters")
  private String password;

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

  /** Whether no administrator exists yet (the page then points to the setup link in the log). */
  public boolean isNoAdministrator() {
    return !administrators.any();
  }

  public void signIn() throws IOException {
    ExternalContext external = faces.getExternalContext();
    HttpServletRequest request = (HttpServletRequest) external.getRequest();
    String address = request.getRemoteAddr();
    // refused here, with a message on the form, rather than by the mechanism's bare 401
    ConsoleSignIn.Result result = signIns.attempt(name, password, address);
    switch (result.outcome()) {
      case WRONG -> refuse("wrong name or password");
      case THROTTLED ->
          refuse("too many failed sign-ins: try again in " + duration(result.waitSeconds()));
      case BUSY -> refuse("the console is busy checking other sign-ins: try again in a moment");
      case ADMITTED -> authenticate(external, request, address);
    }
  }

  private void authenticate(ExternalContext external, HttpServletRequest request, String address)
      throws IOException {
    ticket.admit(name);
    AuthenticationStatus status =
        security.authenticate(
            request,
            (HttpServletResponse) external.getResponse(),
            withParams().credential(new UsernamePasswordCredential(name, password)));
    if (status == AuthenticationStatus.SUCCESS || status == AuthenticationStatus.SEND_CONTINUE) {
      signIns.signedIn(name, address);
    }
    switch (status) {
      case SEND_CONTINUE -> faces.responseComplete(); // on to the page first asked for
      case SUCCESS -> external.redirect(external.getRequestContextPath() + "/index.xhtml");
      default -> refuse("wrong name or password");
    }
  }

  private static String duration(long seconds) {
    return seconds < 120 ? seconds + " s" : (seconds + 59) / 60 + " min";
  }

  private void refuse(String why) {
    faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, why, null));
  }

  public void signOut() throws IOException {
    ExternalContext external = faces.getExternalContext();
    String who = external.getRemoteUser();
    if (who != null) {
      administrators.record(who, "signed out");
    }
    external.invalidateSession();
    external.redirect(external.getRequestContextPath() + "/login.xhtml");
  }
}
