package org.kabar.server.messaging.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.kabar.server.messaging.boundary.Mailbox.Acknowledgement;
import org.kabar.server.messaging.boundary.Mailbox.SendRequest;
import org.kabar.server.messaging.boundary.Mailbox.Stored;
import org.kabar.server.messaging.control.FreshMessages;
import org.kabar.server.node.GroupCommit;
import org.kabar.server.presence.boundary.Caller;

/**
 * The mailbox's two writes of every message, SEND and ACK, with group commit: those that arrive
 * together from the client threads are stored in one transaction, and each caller returns once that
 * transaction has committed. A message is still on disk before its sender is told it was accepted;
 * it just shares the commit with the messages that arrived with it.
 *
 * <p>Call it outside any transaction (as the gateway does): a caller waiting for a batch while its
 * own transaction held locks could hold up the batch it waits for.
 */
@ApplicationScoped
public class MailboxWrites {

  /** The most writes in one transaction: more threads than this never serve clients at once. */
  static final int MAX_BATCH = 64;

  @EJB Mailbox mailbox;

  @Inject FreshMessages fresh;

  private GroupCommit<SendRequest, Stored> sends;

  private GroupCommit<Acknowledgement, Boolean> acks;

  @PostConstruct
  void start() {
    sends =
        new GroupCommit<>(
            mailbox::sendAll, s -> mailbox.send(s.sender(), s.seq(), s.to(), s.text()), MAX_BATCH);
    acks =
        new GroupCommit<>(
            mailbox::acknowledgeAll, a -> mailbox.acknowledge(a.username(), a.id()), MAX_BATCH);
  }

  /** {@link Mailbox#send}, sharing its transaction with the sends that arrive with it. */
  public Stored send(Caller sender, long seq, String to, String text) {
    Stored stored = sends.run(new SendRequest(sender, seq, to, text));
    fresh.committed(stored.fresh());
    return stored;
  }

  /** {@link Mailbox#acknowledge}, sharing its transaction with the ACKs that arrive with it. */
  public boolean acknowledge(String username, long id) {
    return acks.run(new Acknowledgement(username, id));
  }
}
