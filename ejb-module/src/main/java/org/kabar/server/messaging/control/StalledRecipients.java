package org.kabar.server.messaging.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Recipients whose pushes stopped because their address acknowledged none of them: pushing goes on
 * when their client is next heard from, not before, so a session whose address is dead (or was
 * never the client's) costs a bounded number of datagrams. A set of names, read for every request.
 */
@ApplicationScoped
public class StalledRecipients {

  private final Set<String> stalled = ConcurrentHashMap.newKeySet();

  /** The recipient's pushes stopped. */
  public void stalled(String recipient) {
    stalled.add(recipient);
  }

  /** Whether the recipient's pushes are stopped. */
  public boolean isStalled(String recipient) {
    return !stalled.isEmpty() && stalled.contains(recipient);
  }

  /** Whether the recipient's pushes had stopped; they are to go on now. */
  public boolean resume(String recipient) {
    return !stalled.isEmpty() && stalled.remove(recipient);
  }

  /** The recipient left: nothing to resume. */
  public void forget(String recipient) {
    stalled.remove(recipient);
  }
}
