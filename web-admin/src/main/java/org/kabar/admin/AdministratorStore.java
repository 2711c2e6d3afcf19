package org.kabar.admin;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import java.util.Set;
import org.kabar.server.admin.boundary.Administrators;

/** Checks a sign-in against the administrators in the database (PBKDF2 hashes). */
@ApplicationScoped
public class AdministratorStore implements IdentityStore {

  @EJB Administrators administrators;

  public CredentialValidationResult validate(UsernamePasswordCredential credential) {
    String name = credential.getCaller();
    if (administrators.verify(name, credential.getPasswordAsString())) {
      return new CredentialValidationResult(name, Set.of(ConsoleSecurity.ADMIN));
    }
    return CredentialValidationResult.INVALID_RESULT;
  }
}
