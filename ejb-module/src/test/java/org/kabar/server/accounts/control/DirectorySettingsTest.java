package org.kabar.server.accounts.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DirectorySettingsTest {

  private static Map<String, String> ldap() {
    Map<String, String> env = new HashMap<>();
    env.put("KABAR_ACCOUNTS", "ldap");
    env.put("KABAR_LDAP_URL", "ldap://127.0.0.1:3389");
    env.put("KABAR_LDAP_BASE_DN", "dc=example,dc=org");
    return env;
  }

  @Test
  void localNeedsNothing() {
    DirectorySettings settings = DirectorySettings.from(Map.of());
    assertFalse(settings.ldap());
    assertEquals(List.of(), settings.problems());
  }

  @Test
  void aDirectoryWithItsDefaults() {
    DirectorySettings settings = DirectorySettings.from(ldap());
    assertEquals(List.of(), settings.problems());
    assertTrue(settings.ldap());
    assertEquals("ou=people,dc=example,dc=org", settings.people().toString());
    assertEquals("uid", settings.usernameAttribute());
    assertEquals(DirectorySettings.Registration.CLOSED, settings.registration());
    assertEquals(DirectorySettings.Unregister.DISABLE, settings.unregister());
    assertEquals(3000, settings.timeoutMillis());
    assertEquals(300, settings.checkSeconds());
    assertEquals("(objectClass=inetOrgPerson)", settings.userFilter().toString());
  }

  @Test
  void everyWrongValueIsNamed() {
    Map<String, String> env = ldap();
    env.put("KABAR_LDAP_URL", "http://example.org");
    env.put("KABAR_LDAP_BASE_DN", "not a dn");
    env.put("KABAR_LDAP_USER_FILTER", "(objectClass=inetOrgPerson");
    env.put("KABAR_LDAP_REGISTRATION", "sometimes");
    env.put("KABAR_LDAP_TIMEOUT_MS", "0");
    env.put("KABAR_LDAP_USERNAME_ATTRIBUTE", "uid)(cn=*");
    String problems = String.join("\n", DirectorySettings.from(env).problems());
    for (String named :
        List.of(
            "KABAR_LDAP_URL",
            "KABAR_LDAP_BASE_DN",
            "KABAR_LDAP_USER_FILTER",
            "KABAR_LDAP_REGISTRATION 'sometimes': use closed, open, approval",
            "KABAR_LDAP_TIMEOUT_MS",
            "KABAR_LDAP_USERNAME_ATTRIBUTE")) {
      assertTrue(problems.contains(named), named + " in:\n" + problems);
    }
  }

  @Test
  void writingToTheDirectoryNeedsTheNodesOwnAccount() {
    Map<String, String> env = ldap();
    env.put("KABAR_LDAP_REGISTRATION", "open");
    assertEquals(
        List.of("KABAR_LDAP_REGISTRATION open needs KABAR_LDAP_BIND_DN"),
        DirectorySettings.from(env).problems());
    env.put("KABAR_LDAP_BIND_DN", "cn=kabar,dc=example,dc=org");
    env.put("KABAR_LDAP_BIND_PASSWORD", "secret");
    assertEquals(List.of(), DirectorySettings.from(env).problems());
  }

  @Test
  void startTlsIsForPlainUrls() {
    Map<String, String> env = ldap();
    env.put("KABAR_LDAP_URL", "ldaps://ldap.example.org:636");
    env.put("KABAR_LDAP_STARTTLS", "true");
    assertEquals(1, DirectorySettings.from(env).problems().size());
  }

  @Test
  void anUnknownAccountSourceIsRefused() {
    assertEquals(
        List.of("KABAR_ACCOUNTS 'ad': use local or ldap"),
        DirectorySettings.from(Map.of("KABAR_ACCOUNTS", "ad")).problems());
  }
}
