package org.kabar.server.cluster.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The messages this server waits to hear are on a second disk: it sent their copies to other
 * servers, and a {@code STORED} naming their ids from any of them confirms them. No thread waits: a
 * batch's answers to its senders run once every id of it is confirmed (on the thread that read the
 * last {@code STORED}) or once its time is up (on a timer thread), whichever comes first, and
 * exactly once.
 */
@ApplicationScoped
public class StoredAcks {

  private static final Logger LOG = Logger.getLogger(StoredAcks.class.getName());

  /** The messages awaited: each with the batch waiting for it. */
  private final Map<Long, Awaited> awaited = new ConcurrentHashMap<>();

  @Resource ManagedScheduledExecutorService timers;

  @Inject CopiesSent counted;

  /** One batch's wait. */
  public final class Awaited {
    private final Set<Long> ids;
    private final Set<Long> confirmed = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile Consumer<Set<Long>> then;
    private volatile ScheduledFuture<?> deadline;

    private Awaited(Set<Long> ids) {
      this.ids = ids;
    }

    /** How many messages this wait is for. */
    public int size() {
      return ids.size();
    }

    private void confirm(long id) {
      if (ids.contains(id) && confirmed.add(id) && confirmed.size() == ids.size()) {
        finish();
      }
    }

    /**
     * Runs {@code then} with the ids confirmed once all are, or after {@code millis} with those
     * confirmed by then; at once if all are confirmed already.
     */
    public void then(long millis, Consumer<Set<Long>> then) {
      this.then = then;
      if (confirmed.size() == ids.size()) {
        finish();
        return;
      }
      try {
        deadline = timers.schedule(this::finish, millis, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        LOG.log(Level.WARNING, "no timer for a wait on copies: answered now", e);
        finish();
        return;
      }
      if (confirmed.size() == ids.size()) {
        finish(); // confirmed while the timer was set
      }
    }

    private void finish() {
      Consumer<Set<Long>> next = then;
      if (next == null || !finished.compareAndSet(false, true)) {
        return; // not asked for yet (then() finishes it), or finished already
      }
      ScheduledFuture<?> timer = deadline;
      if (timer != null) {
        timer.cancel(false);
      }
      for (Long id : ids) {
        awaited.remove(id, this);
      }
      Set<Long> done = new HashSet<>(confirmed);
      counted.confirmations(done.size(), ids.size() - done.size());
      next.accept(done);
    }
  }

  /** Starts waiting for these ids, before their copies are sent (a fast answer is not missed). */
  public Awaited expect(Set<Long> ids) {
    Awaited wait = new Awaited(Set.copyOf(ids));
    for (Long id : ids) {
      awaited.put(id, wait);
    }
    return wait;
  }

  /** A server stored these copies; ids nobody waits for (any more) are ignored. */
  public void stored(List<Long> ids) {
    for (Long id : ids) {
      Awaited wait = awaited.get(id);
      if (wait != null) {
        wait.confirm(id);
      }
    }
  }
}
