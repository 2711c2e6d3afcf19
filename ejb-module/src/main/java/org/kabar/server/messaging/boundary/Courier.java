package org.kabar.server.messaging.boundary;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.kabar.protocol.client.ClientReply.Delivery;
import org.kabar.server.gateway.control.ClientReplies;
import org.kabar.server.messaging.control.FreshMessages;
import org.kabar.server.messaging.control.StalledRecipients;
import org.kabar.server.presence.boundary.Caller;
import org.kabar.server.presence.boundary.Sessions;
import org.kabar.server.presence.control.SessionCache;

/**
 * Pushes stored messages to online recipients, oldest first, with up to {@link #WINDOW} pushes per
 * recipient waiting for their {@code ACK} at once, and sends each again until the recipient
 * acknowledges it: after about 2 s (randomised), then 4, 8 and 16 s. A message never acknowledged
 * stays undelivered and is handed over at the next login. Only the server the recipient is
 * connected to pushes. Pending pushes live in memory; after a restart or a takeover the offline
 * hand-over covers them.
 *
 * <p>The window keeps a busy recipient's messages flowing: with one push at a time, each message
 * waited for the previous one's acknowledgement to cross the server's inbound queue.
 *
 * <p>Retransmissions come from a timing wheel: each push, when sent, enters its recipient in the
 * slot of the second it is due, and the once-a-second pass visits only the recipients of the
 * seconds just passed, not every outbox. The first retransmission sends the message kept in memory;
 * later ones first check that it is still undelivered.
 *
 * <p>An address that acknowledges nothing gets at most {@link #UNANSWERED_SENDS} pushes: then the
 * recipient's pushes stop ({@link StalledRecipients}) until its client is heard from again.
 *
 * <p>A CDI bean, not an EJB: the gateway calls it for every message stored and acknowledged, and
 * its state is guarded by its own locks. Its reads run in transactions of their own (it suspends a
 * caller's), so a message is pushed only once committed. {@link Retransmissions} is its timer.
 */
@ApplicationScoped
@Transactional(TxType.NOT_SUPPORTED) // what it reads commits on its own, whoever calls
public class Courier {

  private static final Logger LOG = Logger.getLogger(Courier.class.getName());

  /** Sends of one push at most: the first and four retries. */
  static final int MAX_SENDS = 5;

  /** Pushes to one recipient unacknowledged at once at most. */
  public static final int WINDOW = 16;

  private static final long FIRST_RETRY_MILLIS = 2_000;

  /**
   * Sends of a push after which a retransmission first checks, in the database, that the message is
   * still undelivered: the first retransmission goes from memory (every path that acknowledges a
   * message tells the courier), later ones also catch an acknowledgement this server was not told.
   */
  static final int VERIFIED_AFTER_SENDS = 2;

  /** Pushes sent to one recipient without an acknowledgement in between, at most. */
  static final int UNANSWERED_SENDS = 2 * WINDOW;

  private final Map<String, Outbox> outboxes = new ConcurrentHashMap<>();

  @EJB Mailbox mailbox;

  @EJB Sessions sessions;

  @Inject ClientReplies replies;

  @Inject FreshMessages fresh;

  @Inject SessionCache sessionCache;

  @Inject StalledRecipients stalled;

  /**
   * One recipient's pushes: those in flight, and those waiting for room, oldest first. Closed once
   * it is taken out of {@link #outboxes}: a thread that found it there before, and waited for its
   * lock, must not push from it (its pushes would never be sent again nor freed by an ACK, and
   * could overtake older messages); it takes the recipient's current outbox instead.
   */
  private static final class Outbox {
    final NavigableSet<Long> waiting = new TreeSet<>();
    final Map<Long, Push> inFlight = new LinkedHashMap<>();
    boolean closed;

    /**
     * Whether everything undelivered to the recipient when the outbox opened has been read into it:
     * every message stored since comes through {@link #deliver}, so an outbox that goes idle and
     * busy again need not read the table again (that read cost a busy node 4% of its CPU).
     */
    boolean caughtUp;

    /** Pushes sent since the last acknowledgement. */
    int unanswered;
  }

  /**
   * One push in flight: the message, how often it was sent, and when to send it again. The message
   * is kept so that a retransmission reads nothing from the database: under overload, when
   * acknowledgements came late, those reads competed with the stores.
   */
  private static final class Push {
    final Delivery message;
    int sends;
    long nextSendAt;

    Push(Delivery message) {
      this.message = message;
    }
  }

  /**
   * Seconds of the timing wheel: more than the latest a push can be due (the last retry, 16 s plus
   * jitter, then the 32 s after which an unanswered push is given up).
   */
  private static final int WHEEL_SECONDS = 64;

  /**
   * The recipients with a push due in each second, by second modulo {@link #WHEEL_SECONDS}: a pass
   * visits the outboxes with something due instead of walking every outbox every second.
   */
  private final Set<String>[] wheel = newWheel();

  /** The last second whose slot a pass has emptied. */
  private final AtomicLong passedSecond = new AtomicLong(-1);

  @SuppressWarnings("unchecked")
  private static Set<String>[] newWheel() {
    Set<String>[] slots = new Set[WHEEL_SECONDS];
    for (int i = 0; i < WHEEL_SECONDS; i++) {
      slots[i] = ConcurrentHashMap.newKeySet();
    }
    return slots;
  }

  /** Queues stored messages for a recipient and pushes them while the window has room. */
  public void deliver(String recipient, List<Long> messageIds) {
    if (messageIds.isEmpty() || stalled.isStalled(recipient)) {
      return; // a stalled recipient's messages wait, undelivered, until it is heard from
    }
    while (true) {
      Outbox outbox = outboxes.computeIfAbsent(recipient, r -> new Outbox());
      synchronized (outbox) {
        if (outbox.closed) {
          continue; // closed while this thread waited: take the current one
        }
        if (!outbox.caughtUp && outbox.waiting.isEmpty() && outbox.inFlight.isEmpty()) {
          // a new or idle outbox: anything older still waiting (a push given up on, a message
          // stored while the recipient's server changed) goes first
          List<Long> older = mailbox.oldestUndelivered(recipient, WINDOW);
          outbox.waiting.addAll(older);
          outbox.caughtUp = older.size() < WINDOW;
        }
        for (Long id : messageIds) {
          if (!outbox.inFlight.containsKey(id)) {
            outbox.waiting.add(id);
          }
        }
        fill(recipient, outbox);
        return;
      }
    }
  }

  /**
   * The recipient acknowledged or deleted a message: it is not pushed again, not even from memory,
   * and its place in the window goes to the next message.
   */
  public void acknowledged(String recipient, long messageId) {
    fresh.take(messageId);
    Outbox outbox = outboxes.get(recipient);
    if (outbox == null) {
      return;
    }
    synchronized (outbox) {
      outbox.waiting.remove(messageId);
      outbox.unanswered = 0;
      if (outbox.inFlight.remove(messageId) != null && !outbox.closed) {
        fill(recipient, outbox);
      }
    }
  }

  /**
   * The recipient's client was heard from: if its pushes had stopped for want of acknowledgements,
   * what waits for it is pushed again.
   */
  public void heardFrom(String recipient) {
    if (stalled.resume(recipient)) {
      deliver(recipient, mailbox.offlineFor(recipient));
    }
  }

  /** The recipient went offline: what is pending waits for the next login. */
  public void forget(String recipient) {
    stalled.forget(recipient);
    Outbox outbox = outboxes.get(recipient);
    if (outbox != null) {
      synchronized (outbox) {
        close(recipient, outbox);
      }
    }
  }

  /** Takes an outbox out of use; the caller holds its lock. */
  private void close(String recipient, Outbox outbox) {
    outbox.closed = true;
    outboxes.remove(recipient, outbox);
  }

  /**
   * Sends again the pushes whose time has come ({@link Retransmissions}, every second): those of
   * the recipients in the wheel's slots of the seconds that have passed since the last pass.
   */
  public void retransmit() {
    long now = System.currentTimeMillis();
    long last = now / 1000 - 1; // a slot is emptied once its second is over
    long passed = passedSecond.get();
    long first = passed < 0 ? last : Math.max(passed + 1, last - WHEEL_SECONDS + 1);
    if (first > last || !passedSecond.compareAndSet(passed, last)) {
      return; // nothing new, or a pass running alongside took these seconds
    }
    for (long second = first; second <= last; second++) {
      Set<String> slot = wheel[(int) Math.floorMod(second, WHEEL_SECONDS)];
      for (Iterator<String> due = slot.iterator(); due.hasNext(); ) {
        String recipient = due.next();
        due.remove();
        Outbox outbox = outboxes.get(recipient);
        if (outbox != null) {
          synchronized (outbox) {
            if (!outbox.closed) {
              retransmit(recipient, outbox, now);
            }
          }
        }
      }
    }
  }

  private void retransmit(String recipient, Outbox outbox, long now) {
    Optional<Caller> session = null; // looked up once, if anything is due
    for (Iterator<Map.Entry<Long, Push>> pushes = outbox.inFlight.entrySet().iterator();
        pushes.hasNext(); ) {
      Map.Entry<Long, Push> entry = pushes.next();
      Push push = entry.getValue();
      if (push.nextSendAt > now) {
        continue; // due later: in its own second's slot
      }
      if (push.sends >= VERIFIED_AFTER_SENDS && mailbox.undelivered(entry.getKey()).isEmpty()) {
        pushes.remove(); // acknowledged or deleted meanwhile without this server being told
        continue;
      }
      if (push.sends >= MAX_SENDS) {
        LOG.fine(() -> "pushes to " + recipient + " unacknowledged; kept for next login");
        close(recipient, outbox);
        return;
      }
      if (session == null) {
        session = sessionHere(recipient);
      }
      if (session.isEmpty()) {
        close(recipient, outbox); // the recipient left: waits for the next login
        return;
      }
      send(recipient, outbox, session.get(), push);
      if (outbox.closed) {
        return;
      }
    }
  }

  /** Pushes waiting messages, oldest first, while the window has room. */
  private void fill(String recipient, Outbox outbox) {
    Optional<Caller> session = null; // looked up once, at the first push
    while (outbox.inFlight.size() < WINDOW && !outbox.waiting.isEmpty()) {
      long id = outbox.waiting.pollFirst();
      Delivery committed = fresh.take(id);
      Optional<Delivery> message =
          committed != null ? Optional.of(committed) : mailbox.undelivered(id);
      if (message.isEmpty()) {
        continue; // delivered or deleted meanwhile
      }
      if (session == null) {
        session = sessionHere(recipient);
      }
      if (session.isEmpty()) {
        close(recipient, outbox); // the recipient left: waits for the next login
        return;
      }
      Push push = new Push(message.get());
      outbox.inFlight.put(id, push);
      send(recipient, outbox, session.get(), push);
      if (outbox.closed) {
        return;
      }
    }
  }

  /** The recipient's session here: remembered, or else looked up. */
  private Optional<Caller> sessionHere(String recipient) {
    Optional<SessionCache.Entry> cached = sessionCache.byUsername(recipient);
    return cached.isPresent()
        ? cached.map(e -> new Caller(e.sessionId(), e.username(), e.client()))
        : sessions.sessionHere(recipient);
  }

  private void send(String recipient, Outbox outbox, Caller session, Push push) {
    if (++outbox.unanswered > UNANSWERED_SENDS) {
      LOG.fine(() -> "pushes to " + recipient + " unacknowledged; stopped until it is heard from");
      stalled.stalled(recipient);
      close(recipient, outbox);
      return;
    }
    replies.push(session.address(), push.message);
    push.sends++;
    long backoff = FIRST_RETRY_MILLIS << (push.sends - 1);
    long jitter = ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
    push.nextSendAt = System.currentTimeMillis() + backoff + jitter;
    wheel[(int) Math.floorMod(push.nextSendAt / 1000, WHEEL_SECONDS)].add(recipient);
  }
}
