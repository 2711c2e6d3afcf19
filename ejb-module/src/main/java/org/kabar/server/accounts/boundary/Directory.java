package org.kabar.server.accounts.boundary;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.ExtendedResult;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.SSLUtil;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.server.accounts.control.DirectorySettings;

/**
 * The enterprise directory, when accounts live there ({@code KABAR_ACCOUNTS=ldap}): users sign in
 * by binding as themselves (the node never fetches or compares a password hash), register as new
 * {@code inetOrgPerson} entries, and members of a group administer the console. Every value from a
 * user reaches the directory through the SDK's filter and DN builders, which escape it. Every call
 * gives up after {@code KABAR_LDAP_TIMEOUT_MS}; an unreachable or slow directory is reported as
 * unavailable, never as a wrong password.
 */
@ApplicationScoped
public class Directory {

  private static final Logger LOG = Logger.getLogger(Directory.class.getName());

  /** What a sign-in came to. */
  public enum Outcome {
    OK,
    WRONG,
    UNAVAILABLE
  }

  /** A sign-in's outcome, with the user's name for display when it succeeded. */
  public record SignIn(Outcome outcome, String displayName) {}

  /** Whether a user is (still) in the directory and matches the user filter. */
  public enum Presence {
    PRESENT,
    ABSENT,
    UNAVAILABLE
  }

  private DirectorySettings settings;

  @PostConstruct
  void read() {
    settings = DirectorySettings.fromEnvironment();
    if (settings.ldap() && settings.problems().isEmpty()) {
      LOG.info(
          () ->
              "accounts live in the directory at "
                  + settings.url()
                  + " under "
                  + settings.people()
                  + " (registration "
                  + settings.registration().name().toLowerCase()
                  + ")");
    }
    for (String problem : settings.problems()) {
      LOG.severe(() -> "directory settings: " + problem);
    }
  }

  public DirectorySettings settings() {
    return settings;
  }

  /** Whether accounts live in the directory. */
  public boolean active() {
    return settings.ldap();
  }

  /** Checks a password by binding as the user. */
  public SignIn signIn(String username, String password) {
    if (password == null || password.isEmpty()) {
      return new SignIn(Outcome.WRONG, null); // an empty password would be an anonymous bind
    }
    try (LDAPConnection service = connect(true)) {
      SearchResultEntry entry = find(service, username);
      if (entry == null) {
        return new SignIn(Outcome.WRONG, null);
      }
      try (LDAPConnection asUser = connect(false)) {
        asUser.bind(entry.getDN(), password);
      } catch (LDAPException e) {
        if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS) {
          return new SignIn(Outcome.WRONG, null);
        }
        throw e;
      }
      String display = entry.getAttributeValue("displayName");
      return new SignIn(Outcome.OK, display != null ? display : entry.getAttributeValue("cn"));
    } catch (LDAPException e) {
      return unavailable("sign-in of " + username, e, new SignIn(Outcome.UNAVAILABLE, null));
    }
  }

  /** Whether a user is still in the directory (the periodic check of signed-in users). */
  public Presence presence(String username) {
    try (LDAPConnection service = connect(true)) {
      return find(service, username) == null ? Presence.ABSENT : Presence.PRESENT;
    } catch (LDAPException e) {
      return unavailable("check of " + username, e, Presence.UNAVAILABLE);
    }
  }

  /**
   * Creates a user's entry with a hashed {@code userPassword}: {@code uid=NAME} (the username
   * attribute) in the people OU, of class {@code inetOrgPerson}.
   *
   * @return empty if created, else why not ({@code NAME_TAKEN}, {@code DIRECTORY_UNAVAILABLE})
   */
  public Optional<ErrorCode> create(String username, String userPassword) {
    try (LDAPConnection service = connect(true)) {
      if (find(service, username) != null) {
        return Optional.of(ErrorCode.NAME_TAKEN);
      }
      Entry entry =
          new Entry(
              dnOf(username),
              List.of(
                  new Attribute(
                      "objectClass", "top", "person", "organizationalPerson", "inetOrgPerson"),
                  new Attribute(settings.usernameAttribute(), username),
                  new Attribute("cn", username),
                  new Attribute("sn", username),
                  new Attribute("userPassword", userPassword)));
      service.add(entry);
      LOG.info(() -> "registered " + entry.getDN() + " in the directory");
      return Optional.empty();
    } catch (LDAPException e) {
      if (e.getResultCode() == ResultCode.ENTRY_ALREADY_EXISTS) {
        return Optional.of(ErrorCode.NAME_TAKEN);
      }
      return unavailable(
          "registration of " + username, e, Optional.of(ErrorCode.DIRECTORY_UNAVAILABLE));
    }
  }

  /**
   * Deletes a user's entry (unregistration with {@code KABAR_LDAP_UNREGISTER=delete}).
   *
   * @return whether the directory holds no entry of the user now
   */
  public boolean delete(String username) {
    try (LDAPConnection service = connect(true)) {
      SearchResultEntry entry = find(service, username);
      if (entry != null) {
        service.delete(entry.getDN());
        LOG.info(() -> "deleted " + entry.getDN() + " from the directory");
      }
      return true;
    } catch (LDAPException e) {
      return unavailable("removal of " + username, e, false);
    }
  }

  /**
   * Whether a name and password are those of a member of the administrators' group ({@code
   * KABAR_LDAP_ADMIN_GROUP}: a {@code groupOfNames} or {@code groupOfUniqueNames} listing the
   * user's DN).
   */
  public boolean administrator(String name, String password) {
    if (!active() || settings.adminGroup() == null || name == null || password == null) {
      return false;
    }
    if (password.isEmpty()) {
      return false;
    }
    try (LDAPConnection service = connect(true)) {
      SearchResultEntry user = find(service, name);
      if (user == null) {
        return false;
      }
      try (LDAPConnection asUser = connect(false)) {
        asUser.bind(user.getDN(), password);
      } catch (LDAPException e) {
        if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS) {
          return false;
        }
        throw e;
      }
      SearchResult group =
          service.search(
              settings.adminGroup().toString(),
              SearchScope.BASE,
              Filter.createORFilter(
                  Filter.createEqualityFilter("member", user.getDN()),
                  Filter.createEqualityFilter("uniqueMember", user.getDN())),
              "1.1");
      return group.getEntryCount() == 1;
    } catch (LDAPException e) {
      return unavailable("console sign-in of " + name, e, false);
    }
  }

  private SearchResultEntry find(LDAPConnection connection, String username) throws LDAPException {
    Filter filter =
        Filter.createANDFilter(
            settings.userFilter(),
            Filter.createEqualityFilter(settings.usernameAttribute(), username));
    SearchResult result =
        connection.search(
            settings.people().toString(),
            SearchScope.SUB,
            filter,
            "cn",
            "displayName",
            settings.usernameAttribute());
    return result.getEntryCount() == 1 ? result.getSearchEntries().get(0) : null;
  }

  private DN dnOf(String username) {
    return new DN(new RDN(settings.usernameAttribute(), username), settings.people());
  }

  private LDAPConnection connect(boolean asService) throws LDAPException {
    LDAPConnectionOptions options = new LDAPConnectionOptions();
    options.setConnectTimeoutMillis(settings.timeoutMillis());
    options.setResponseTimeoutMillis(settings.timeoutMillis());
    options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
    String host = settings.url().getHost();
    int port = settings.url().getPort();
    LDAPConnection connection;
    try {
      if (settings.url().getScheme().equals("ldaps")) {
        connection =
            new LDAPConnection(new SSLUtil().createSSLSocketFactory(), options, host, port);
      } else {
        connection = new LDAPConnection(options, host, port);
        if (settings.startTls()) {
          ExtendedResult tls =
              connection.processExtendedOperation(
                  new StartTLSExtendedRequest(new SSLUtil().createSSLContext()));
          if (tls.getResultCode() != ResultCode.SUCCESS) {
            connection.close();
            throw new LDAPException(tls.getResultCode(), "StartTLS refused: " + tls);
          }
        }
      }
    } catch (GeneralSecurityException e) {
      throw new LDAPException(ResultCode.CONNECT_ERROR, "TLS: " + e.getMessage(), e);
    }
    if (asService && !settings.bindDn().isEmpty()) {
      try {
        connection.bind(settings.bindDn(), settings.bindPassword());
      } catch (LDAPException e) {
        connection.close();
        throw e;
      }
    }
    return connection;
  }

  private static <T> T unavailable(String what, LDAPException e, T result) {
    LOG.warning(() -> "directory unavailable for the " + what + ": " + e.getMessage());
    return result;
  }
}
