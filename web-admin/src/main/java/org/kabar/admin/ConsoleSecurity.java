package org.kabar.admin;

import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.faces.annotation.FacesConfig;
import jakarta.security.enterprise.authentication.mechanism.http.CustomFormAuthenticationMechanismDefinition;
import jakarta.security.enterprise.authentication.mechanism.http.LoginToContinue;

/**
 * Turns on Faces and the console's sign-in: a form on {@code /login.xhtml} checked against the
 * administrators ({@link AdministratorStore}); every page but the sign-in and the one-time setup
 * needs the role {@value #ADMIN}.
 */
@ApplicationScoped
@FacesConfig
@DeclareRoles(ConsoleSecurity.ADMIN)
@CustomFormAuthenticationMechanismDefinition(
    loginToContinue = @LoginToContinue(loginPage = "/login.xhtml", useForwardToLogin = false))
public class ConsoleSecurity {

  /** The role of an administrator. */
  public static final String ADMIN = "admin";
}
