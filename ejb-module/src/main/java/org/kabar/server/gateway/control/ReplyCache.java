package org.kabar.server.gateway.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;
import org.kabar.protocol.client.ClientReply;

/**
 * Remembers the reply to each recent request, by sender and sequence number, so that a
 * retransmitted request is answered again without being acted on twice. A request still being
 * served is marked, and a copy arriving meanwhile is dropped: the client will retransmit.
 */
@ApplicationScoped
public class ReplyCache {

  /** How long a reply is kept: longer than a client retransmits (about 30 s). */
  static final long KEEP_MILLIS = 120_000;

  private final Map<Key, Entry> entries = new ConcurrentHashMap<>();

  /**
   * The replies recorded, oldest first, so that those past {@link #KEEP_MILLIS} are dropped from
   * the front at each new one: a sweep of the whole map instead cost a busy node 6% of its CPU (at
   * 5,000 requests a second, two minutes of replies are some 600,000 entries).
   */
  private final Queue<Recorded> recorded = new ConcurrentLinkedQueue<>();

  /** The clock, in milliseconds: replaced in tests. */
  LongSupplier clock = System::currentTimeMillis;

  private record Recorded(Key key, long at) {}

  /** Sender identity (session token or address) and sequence number. */
  public record Key(String sender, long seq) {}

  private record Entry(ClientReply reply, long at) {}

  /** What a request's key says about it. */
  public sealed interface Lookup {}

  /** The request is new: serve it, then call {@link #finish}. */
  public record Fresh() implements Lookup {}

  /** The same request is being served right now: drop this copy. */
  public record InProgress() implements Lookup {}

  /** The request was served: send this reply again. */
  public record Answered(ClientReply reply) implements Lookup {}

  /** Looks the request up, marking it in progress if it is new. */
  public Lookup begin(Key key) {
    Entry existing = entries.putIfAbsent(key, new Entry(null, clock.getAsLong()));
    if (existing == null) {
      return new Fresh();
    }
    return existing.reply() == null ? new InProgress() : new Answered(existing.reply());
  }

  /** Records the reply to a request begun with {@link #begin}, and drops those kept long enough. */
  public void finish(Key key, ClientReply reply) {
    long now = clock.getAsLong();
    entries.put(key, new Entry(reply, now));
    recorded.add(new Recorded(key, now));
    long oldest = now - KEEP_MILLIS;
    for (Recorded first = recorded.peek();
        first != null && first.at() < oldest;
        first = recorded.peek()) {
      Recorded taken = recorded.poll(); // another thread may have taken the first one meanwhile
      if (taken != null) {
        entries.computeIfPresent(taken.key(), (k, e) -> e.at() <= taken.at() ? null : e);
      }
    }
  }

  /** Replies kept now: for tests. */
  int size() {
    return entries.size();
  }

  /** Forgets a request that failed, so that a retransmission is served afresh. */
  public void abandon(Key key) {
    entries.remove(key);
  }
}
