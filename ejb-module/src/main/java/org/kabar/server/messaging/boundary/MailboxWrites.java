package org.kabar.server.messaging.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.kabar.server.messaging.boundary.Mailbox.Acknowledgement;
import org.kabar.server.messaging.boundary.Mailbox.SendRequest;
import org.kabar.server.messaging.boundary.Mailbox.Stored;
import org.kabar.server.messaging.boundary.Mailbox.Write;
import org.kabar.server.messaging.control.FreshMessages;
import org.kabar.server.node.GroupCommit;
import org.kabar.server.presence.boundary.Caller;

/**
 * The mailbox's two writes of every message, SEND and ACK, with group commit: those that arrive
 * together are stored in one transaction, SENDs and ACKs alike, and each caller returns once that
 * transaction has committed. A message is still on disk before its sender is told it was accepted;
 * it just shares the commit with the writes that arrived with it.
 *
 * <p>Call it outside any transaction (as the gateway does): a caller waiting for a batch while its
 * own transaction held locks could hold up the batch it waits for.
 */
@ApplicationScoped
public class MailboxWrites {

  /**
   * The most writes in one transaction. A batch of datagrams gathers its writes, so a batch is
   * sized by what waits (one when idle, hundreds when busy), not by the number of client threads.
   */
  static final int MAX_BATCH = 256;

  /**
   * Batches running at once: while one waits for its commit to reach the disk, the next executes
   * its statements on the other core.
   */
  static final int LEADERS = 2;

  @EJB Mailbox mailbox;

  @Inject FreshMessages fresh;

  private GroupCommit<Write, Object> commits;

  @PostConstruct
  void start() {
    commits = new GroupCommit<>(mailbox::writeAll, mailbox::write, MAX_BATCH, LEADERS);
  }

  /** {@link Mailbox#send}, sharing its transaction with the writes that arrive with it. */
  public Stored send(Caller sender, long seq, String to, String text) {
    Stored stored = (Stored) commits.run(new SendRequest(sender, seq, to, text));
    fresh.committed(stored.fresh());
    return stored;
  }

  /** {@link Mailbox#acknowledge}, sharing its transaction with the writes that arrive with it. */
  public boolean acknowledge(String username, long id) {
    return (Boolean) commits.run(new Acknowledgement(username, id));
  }

  /**
   * Starts gathering the writes of a batch of requests: each is queued when added and runs, with
   * the others and whatever else waits, at {@link Gathered#run()}; its outcome is read after.
   */
  public Gathered gather() {
    return new Gathered(commits.gather());
  }

  /** The writes of one batch of requests. */
  public final class Gathered {
    private final GroupCommit<Write, Object>.Gathered writes;

    Gathered(GroupCommit<Write, Object>.Gathered writes) {
      this.writes = writes;
    }

    /** {@link MailboxWrites#send}, gathered: the supplier gives its outcome after {@link #run}. */
    public Supplier<Stored> send(Caller sender, long seq, String to, String text) {
      CompletableFuture<Object> result = writes.add(new SendRequest(sender, seq, to, text));
      return () -> {
        Stored stored = (Stored) GroupCommit.outcome(result);
        fresh.committed(stored.fresh());
        return stored;
      };
    }

    /** {@link MailboxWrites#acknowledge}, gathered. */
    public Supplier<Boolean> acknowledge(String username, long id) {
      CompletableFuture<Object> result = writes.add(new Acknowledgement(username, id));
      return () -> (Boolean) GroupCommit.outcome(result);
    }

    /** Runs what was gathered, in as few transactions as the batch limit allows. */
    public void run() {
      writes.run();
    }
  }
}
