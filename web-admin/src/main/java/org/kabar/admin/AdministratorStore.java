package org.kabar.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import java.util.Set;

/**
 * Admits to the console the administrator whose password {@link SignIn} checked in this request
 * (through the sign-in's throttle); nobody else.
 */
@ApplicationScoped
public class AdministratorStore implements IdentityStore {

  @Inject SignInTicket ticket;

  public CredentialValidationResult validate(UsernamePasswordCredential credential) {
    String name = credential.getCaller();
    if (ticket.admits(name)) {
      return new CredentialValidationResult(name, Set.of(ConsoleSecurity.ADMIN));
    }
    return CredentialValidationResult.INVALID_RESULT;
  }
}
