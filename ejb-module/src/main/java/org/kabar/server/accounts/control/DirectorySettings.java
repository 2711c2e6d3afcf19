package org.kabar.server.accounts.control;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Where accounts live: {@code local} (this deployment's database) or {@code ldap} (an enterprise
 * directory), with the directory's settings, each checked once when the node starts. Read from the
 * environment ({@code KABAR_ACCOUNTS}, {@code KABAR_LDAP_*}); {@link #problems()} lists what is
 * wrong, and a node with problems is not ready.
 */
public final class DirectorySettings {

  /** How a directory user who unregisters is treated. */
  public enum Unregister {
    /** The entry is deleted from the directory. */
    DELETE,
    /** Only the chat account is disabled; the directory entry stays. */
    DISABLE
  }

  /** Who may register into the directory from the client. */
  public enum Registration {
    /** Nobody: accounts are made in the directory by its administrators. */
    CLOSED,
    /** Anyone, at once. */
    OPEN,
    /** Anyone may ask; an administrator of the console approves or rejects. */
    APPROVAL
  }

  private final boolean ldap;
  private final LDAPURL url;
  private final boolean startTls;
  private final DN base;
  private final DN people;
  private final String bindDn;
  private final String bindPassword;
  private final Filter userFilter;
  private final String usernameAttribute;
  private final DN adminGroup;
  private final Registration registration;
  private final Unregister unregister;
  private final int timeoutMillis;
  private final int checkSeconds;
  private final List<String> problems = new ArrayList<>();

  private DirectorySettings(Function<String, String> env) {
    String mode = value(env, "KABAR_ACCOUNTS", "local").toLowerCase(Locale.ROOT);
    if (!mode.equals("local") && !mode.equals("ldap")) {
      problems.add("KABAR_ACCOUNTS '" + mode + "': use local or ldap");
    }
    ldap = mode.equals("ldap");
    url = ldap ? url(value(env, "KABAR_LDAP_URL", "")) : null;
    startTls = flag(env, "KABAR_LDAP_STARTTLS");
    if (startTls && url != null && url.getScheme().equals("ldaps")) {
      problems.add("KABAR_LDAP_STARTTLS is for ldap:// URLs; ldaps:// is TLS from the start");
    }
    base = dn("KABAR_LDAP_BASE_DN", value(env, "KABAR_LDAP_BASE_DN", ""), ldap);
    String peopleText = value(env, "KABAR_LDAP_PEOPLE_DN", "");
    people =
        peopleText.isEmpty() && base != null
            ? dn("KABAR_LDAP_PEOPLE_DN", "ou=people," + base, ldap)
            : dn("KABAR_LDAP_PEOPLE_DN", peopleText, ldap);
    bindDn = value(env, "KABAR_LDAP_BIND_DN", "");
    if (!bindDn.isEmpty()) {
      dn("KABAR_LDAP_BIND_DN", bindDn, ldap);
    }
    bindPassword = secret(env);
    userFilter = filter(value(env, "KABAR_LDAP_USER_FILTER", "(objectClass=inetOrgPerson)"));
    usernameAttribute = value(env, "KABAR_LDAP_USERNAME_ATTRIBUTE", "uid");
    if (!usernameAttribute.matches("[A-Za-z][A-Za-z0-9-]{0,63}")) {
      problems.add("KABAR_LDAP_USERNAME_ATTRIBUTE '" + usernameAttribute + "' is not an attribute");
    }
    String group = value(env, "KABAR_LDAP_ADMIN_GROUP", "");
    adminGroup = group.isEmpty() ? null : dn("KABAR_LDAP_ADMIN_GROUP", group, ldap);
    registration = choice(env, "KABAR_LDAP_REGISTRATION", Registration.class, Registration.CLOSED);
    unregister = choice(env, "KABAR_LDAP_UNREGISTER", Unregister.class, Unregister.DISABLE);
    timeoutMillis = number(env, "KABAR_LDAP_TIMEOUT_MS", 3000, 100, 60_000);
    checkSeconds = number(env, "KABAR_LDAP_CHECK_SECONDS", 300, 1, 86_400);
    if (ldap && registration != Registration.CLOSED && bindDn.isEmpty()) {
      problems.add("KABAR_LDAP_REGISTRATION " + name(registration) + " needs KABAR_LDAP_BIND_DN");
    }
    if (ldap && unregister == Unregister.DELETE && bindDn.isEmpty()) {
      problems.add("KABAR_LDAP_UNREGISTER delete needs KABAR_LDAP_BIND_DN");
    }
  }

  /** The settings in this process's environment. */
  public static DirectorySettings fromEnvironment() {
    return new DirectorySettings(System::getenv);
  }

  /** The settings in a map of variables (for tests). */
  public static DirectorySettings from(Map<String, String> variables) {
    return new DirectorySettings(variables::get);
  }

  /** What is wrong with the settings; empty if nothing. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /** Whether accounts live in the directory. */
  public boolean ldap() {
    return ldap;
  }

  public LDAPURL url() {
    return url;
  }

  public boolean startTls() {
    return startTls;
  }

  public DN people() {
    return people;
  }

  /** The DN the node binds as to search and write, or empty for anonymous searches. */
  public String bindDn() {
    return bindDn;
  }

  public String bindPassword() {
    return bindPassword;
  }

  public Filter userFilter() {
    return userFilter;
  }

  public String usernameAttribute() {
    return usernameAttribute;
  }

  /** The group whose members administer the console, or null. */
  public DN adminGroup() {
    return adminGroup;
  }

  public Registration registration() {
    return registration;
  }

  public Unregister unregister() {
    return unregister;
  }

  public int timeoutMillis() {
    return timeoutMillis;
  }

  public int checkSeconds() {
    return checkSeconds;
  }

  private static String value(Function<String, String> env, String name, String fallback) {
    String v = env.apply(name);
    return v == null || v.isBlank() ? fallback : v.strip();
  }

  private static boolean flag(Function<String, String> env, String name) {
    return value(env, name, "false").equalsIgnoreCase("true");
  }

  private LDAPURL url(String text) {
    if (text.isEmpty()) {
      problems.add("KABAR_LDAP_URL is needed with KABAR_ACCOUNTS=ldap (ldap://HOST:PORT)");
      return null;
    }
    try {
      LDAPURL parsed = new LDAPURL(text);
      if (!parsed.getScheme().equals("ldap") && !parsed.getScheme().equals("ldaps")) {
        problems.add("KABAR_LDAP_URL '" + text + "': use ldap:// or ldaps://");
        return null;
      }
      return parsed;
    } catch (LDAPException e) {
      problems.add("KABAR_LDAP_URL '" + text + "' is not an LDAP URL");
      return null;
    }
  }

  private DN dn(String name, String text, boolean needed) {
    if (text.isEmpty()) {
      if (needed) {
        problems.add(name + " is needed with KABAR_ACCOUNTS=ldap (e.g. dc=example,dc=org)");
      }
      return null;
    }
    try {
      return new DN(text);
    } catch (LDAPException e) {
      problems.add(name + " '" + text + "' is not a DN");
      return null;
    }
  }

  private Filter filter(String text) {
    try {
      return Filter.create(text);
    } catch (LDAPException e) {
      problems.add("KABAR_LDAP_USER_FILTER '" + text + "' is not an LDAP filter");
      return Filter.createPresenceFilter("objectClass");
    }
  }

  private String secret(Function<String, String> env) {
    String file = value(env, "KABAR_LDAP_BIND_PASSWORD_FILE", "");
    if (!file.isEmpty()) {
      try {
        return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        problems.add("KABAR_LDAP_BIND_PASSWORD_FILE '" + file + "' cannot be read");
        return "";
      }
    }
    return value(env, "KABAR_LDAP_BIND_PASSWORD", "");
  }

  private <E extends Enum<E>> E choice(
      Function<String, String> env, String name, Class<E> type, E fallback) {
    String text = value(env, name, name(fallback));
    for (E option : type.getEnumConstants()) {
      if (name(option).equals(text.toLowerCase(Locale.ROOT))) {
        return option;
      }
    }
    List<String> names = new ArrayList<>();
    for (E option : type.getEnumConstants()) {
      names.add(name(option));
    }
    problems.add(name + " '" + text + "': use " + String.join(", ", names));
    return fallback;
  }

  private int number(Function<String, String> env, String name, int fallback, int min, int max) {
    String text = value(env, name, String.valueOf(fallback));
    if (!text.matches("[0-9]{1,9}")
        || Integer.parseInt(text) < min
        || Integer.parseInt(text) > max) {
      problems.add(name + " '" + text + "': use a number from " + min + " to " + max);
      return fallback;
    }
    return Integer.parseInt(text);
  }

  private static String name(Enum<?> option) {
    return option.name().toLowerCase(Locale.ROOT);
  }
}
