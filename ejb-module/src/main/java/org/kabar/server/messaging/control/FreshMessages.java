package org.kabar.server.messaging.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kabar.protocol.client.ClientReply.Delivery;

/**
 * Messages just stored and committed, as pushes, so that the first push of each is sent without
 * reading the row back. Taken once: a push sent again reads its row, which tells whether it was
 * acknowledged or deleted meanwhile. A message acknowledged or deleted before it was taken (pushed
 * from its row by another path first) is taken out then, so it is not pushed again from here. Only
 * a message deleted in the instant between its commit and its first push is still pushed once; the
 * recipient could only have seen it by listing the inbox in that instant.
 *
 * <p>Bounded: the oldest entries give way (messages for users not connected here are never taken),
 * and a message no longer here is simply read from the table.
 */
@ApplicationScoped
public class FreshMessages {

  /**
   * The most messages held: some seconds of a busy node's messages, so that a short backlog of
   * pushes is still sent from memory (a backlog read back row by row slows delivery further). At
   * most 900 bytes of text each, a few megabytes in all.
   */
  static final int MOST = 8192;

  private final Map<Long, Delivery> byId =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Delivery> eldest) {
          return size() > MOST;
        }
      };

  /** Holds messages whose rows have been committed. */
  public synchronized void committed(List<Delivery> messages) {
    messages.forEach(m -> byId.put(m.id(), m));
  }

  /** The message as stored, if it was committed lately and not taken yet; null otherwise. */
  public synchronized Delivery take(long id) {
    return byId.remove(id);
  }

  /** How many are held: for tests. */
  synchronized int size() {
    return byId.size();
  }
}
