package org.kabar.server.cluster.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;
import org.kabar.server.accounts.boundary.Directory;
import org.kabar.server.presence.boundary.Caller;
import org.kabar.server.presence.boundary.Sessions;

/**
 * With accounts in the directory, checks every {@code KABAR_LDAP_CHECK_SECONDS} that the users
 * signed in here are still in it (and still match the user filter): the sessions of a user the
 * directory deleted or disabled end ({@code BYE disabled}). A directory that does not answer ends
 * nobody's session.
 */
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class DirectoryChecks {

  private static final Logger LOG = Logger.getLogger(DirectoryChecks.class.getName());

  @Resource TimerService timers;

  @Inject Directory directory;

  @EJB Sessions sessions;

  @EJB UserReplication users;

  @PostConstruct
  void schedule() {
    if (directory.active() && directory.settings().problems().isEmpty()) {
      long interval = directory.settings().checkSeconds() * 1000L;
      timers.createIntervalTimer(interval, interval, new TimerConfig("directory-checks", false));
    }
  }

  @Timeout
  void check() {
    Set<String> here = new TreeSet<>();
    for (Caller session : sessions.connectedHere()) {
      here.add(session.username());
    }
    for (String user : here) {
      if (directory.presence(user) == Directory.Presence.ABSENT) {
        LOG.info(() -> user + " is no longer in the directory: their session ends");
        users.endSessionsHere(user, "disabled");
      }
    }
  }
}
