package org.kabar.server.messaging.boundary;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;
import org.kabar.protocol.client.ClientReply.Delivery;
import org.kabar.server.gateway.control.ClientReplies;
import org.kabar.server.presence.boundary.Caller;
import org.kabar.server.presence.boundary.Sessions;

/**
 * Pushes stored messages to online recipients, one at a time per recipient so they arrive in the
 * order sent, and sends each again until the recipient acknowledges it: after about 2 s
 * (randomised), then 4, 8 and 16 s. A message never acknowledged stays undelivered and is handed
 * over at the next login. Only the server the recipient is connected to pushes. Pending pushes live
 * in memory; after a restart or a takeover the offline hand-over covers them.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class Courier {

  private static final Logger LOG = Logger.getLogger(Courier.class.getName());

  /** Sends of one push at most: the first and four retries. */
  static final int MAX_SENDS = 5;

  private static final long FIRST_RETRY_MILLIS = 2_000;

  private final Map<String, Outbox> outboxes = new ConcurrentHashMap<>();

  @EJB Mailbox mailbox;

  @EJB Sessions sessions;

  @Inject ClientReplies replies;

  /** One recipient's pushes: the one in flight and those waiting behind it, oldest first. */
  private static final class Outbox {
    final NavigableSet<Long> waiting = new TreeSet<>();
    long inFlight;
    int sends;
    long nextSendAt;
  }

  /** Queues stored messages for a recipient and pushes the first if nothing is in flight. */
  public void deliver(String recipient, List<Long> messageIds) {
    if (messageIds.isEmpty()) {
      return;
    }
    Outbox outbox = outboxes.computeIfAbsent(recipient, r -> new Outbox());
    synchronized (outbox) {
      for (Long id : messageIds) {
        if (id != outbox.inFlight) {
          outbox.waiting.add(id);
        }
      }
      if (outbox.inFlight == 0) {
        sendNext(recipient, outbox);
      }
    }
  }

  /** The recipient acknowledged a push: send the next one. */
  public void acknowledged(String recipient, long messageId) {
    Outbox outbox = outboxes.get(recipient);
    if (outbox == null) {
      return;
    }
    synchronized (outbox) {
      outbox.waiting.remove(messageId);
      if (outbox.inFlight == messageId) {
        outbox.inFlight = 0;
        sendNext(recipient, outbox);
      }
    }
  }

  /** The recipient went offline: what is pending waits for the next login. */
  public void forget(String recipient) {
    outboxes.remove(recipient);
  }

  /** Sends again the pushes whose time has come. */
  @Schedule(second = "*", minute = "*", hour = "*", persistent = false)
  void retransmit() {
    long now = System.currentTimeMillis();
    for (Map.Entry<String, Outbox> entry : outboxes.entrySet()) {
      Outbox outbox = entry.getValue();
      synchronized (outbox) {
        if (outbox.inFlight != 0 && outbox.nextSendAt <= now) {
          if (outbox.sends >= MAX_SENDS) {
            LOG.fine(() -> "push to " + entry.getKey() + " unacknowledged; kept for next login");
            outboxes.remove(entry.getKey(), outbox);
          } else {
            push(entry.getKey(), outbox);
          }
        }
      }
    }
  }

  /** How many of a recipient's oldest undelivered messages are looked up before each push. */
  private static final int OLDEST_FIRST = 16;

  private void sendNext(String recipient, Outbox outbox) {
    // an older message may have been stored for this recipient but not handed to the courier yet
    // (its sender's request still finishing): the oldest undelivered one always goes first
    // (the oldest few are enough: a long backlog is not read again before every push)
    outbox.waiting.addAll(mailbox.oldestUndelivered(recipient, OLDEST_FIRST));
    while (!outbox.waiting.isEmpty()) {
      long id = outbox.waiting.pollFirst();
      if (mailbox.undelivered(id).isPresent()) {
        outbox.inFlight = id;
        outbox.sends = 0;
        push(recipient, outbox);
        return;
      }
    }
    outbox.inFlight = 0;
  }

  private void push(String recipient, Outbox outbox) {
    Optional<Delivery> message = mailbox.undelivered(outbox.inFlight);
    Optional<Caller> session = sessions.sessionHere(recipient);
    if (message.isEmpty() || session.isEmpty()) {
      // delivered meanwhile, or the recipient left: move on, or wait for the next login
      if (session.isEmpty()) {
        outboxes.remove(recipient, outbox);
      } else {
        sendNext(recipient, outbox);
      }
      return;
    }
    replies.push(session.get().address(), message.get());
    outbox.sends++;
    long backoff = FIRST_RETRY_MILLIS << (outbox.sends - 1);
    long jitter = ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
    outbox.nextSendAt = System.currentTimeMillis() + backoff + jitter;
  }
}
