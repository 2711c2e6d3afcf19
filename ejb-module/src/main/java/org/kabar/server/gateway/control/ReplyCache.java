package org.kabar.server.gateway.control;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kabar.protocol.client.ClientReply;

/**
 * Remembers the reply to each recent request (the gateway keeps none for {@code ACK} and {@code
 * LIVE}, which are safe to serve again), so that a retransmitted request is answered again without
 * being acted on twice: a session's by its id and sequence number, looked up only once the
 * request's token is authenticated and within the session's rate, and forgotten when the session
 * ends; a request without a session by its sender's address and sequence number. Each reply keeps
 * the address it went to: a repeat from anywhere else is answered only within the
 * anti-amplification limit. A request still being served is marked, and a copy arriving meanwhile
 * is dropped: the client will retransmit. Bounded by age ({@link #KEEP}), per session ({@link
 * #PER_SESSION}) and in all.
 */
@ApplicationScoped
public class ReplyCache {

  /** How long a reply is kept: longer than a client retransmits (about 45 s). */
  static final Duration KEEP = Duration.ofMinutes(2);

  /** Replies kept per session at most: the newest. */
  static final int PER_SESSION = 256;

  /** The clock, in nanoseconds: replaced in tests. */
  Ticker ticker = Ticker.systemTicker();

  private final Cache<Long, SessionReplies> sessions =
      Caffeine.newBuilder()
          .expireAfterAccess(KEEP)
          .maximumSize(200_000)
          .ticker(() -> ticker.read())
          .build();

  private final Cache<AnonymousKey, Entry> anonymous =
      Caffeine.newBuilder()
          .expireAfterWrite(KEEP)
          .maximumSize(100_000)
          .ticker(() -> ticker.read())
          .build();

  private record AnonymousKey(InetSocketAddress sender, long seq) {}

  /**
   * One request's reply once known.
   *
   * @param sentTo the address the reply went to, or null if it was withheld
   */
  private record Entry(ClientReply reply, InetSocketAddress sentTo, long at) {}

  private static final Entry IN_PROGRESS = new Entry(null, null, 0);

  /** What a request's key says about it. */
  public sealed interface Lookup {}

  /** The request is new: serve it, then call {@code finish}. */
  public record Fresh() implements Lookup {}

  /** The same request is being served right now: drop this copy. */
  public record InProgress() implements Lookup {}

  /**
   * The request was served: send this reply again.
   *
   * @param sentTo where it went the first time, null if it was withheld
   */
  public record Answered(ClientReply reply, InetSocketAddress sentTo) implements Lookup {}

  /** Looks a session's request up, marking it in progress if it is new. */
  public Lookup begin(long sessionId, long seq) {
    return sessions.get(sessionId, id -> new SessionReplies()).begin(seq, ticker.read());
  }

  /** Records the reply to a session's request. */
  public void finish(long sessionId, long seq, ClientReply reply, InetSocketAddress sentTo) {
    sessions
        .get(sessionId, id -> new SessionReplies())
        .put(seq, new Entry(reply, sentTo, ticker.read()));
  }

  /** Forgets a session's request that failed, so that a retransmission is served afresh. */
  public void abandon(long sessionId, long seq) {
    SessionReplies replies = sessions.getIfPresent(sessionId);
    if (replies != null) {
      replies.remove(seq);
    }
  }

  /** The session ended: none of its replies is sent again. */
  public void forget(long sessionId) {
    sessions.invalidate(sessionId);
  }

  /** Looks a request without a session up, marking it in progress if it is new. */
  public Lookup begin(InetSocketAddress sender, long seq) {
    Entry existing = anonymous.asMap().putIfAbsent(new AnonymousKey(sender, seq), IN_PROGRESS);
    return lookup(existing);
  }

  /** Records the reply to a request without a session (it went to its sender). */
  public void finish(InetSocketAddress sender, long seq, ClientReply reply) {
    anonymous.put(new AnonymousKey(sender, seq), new Entry(reply, sender, ticker.read()));
  }

  /** Forgets a request without a session that failed. */
  public void abandon(InetSocketAddress sender, long seq) {
    anonymous.invalidate(new AnonymousKey(sender, seq));
  }

  /** Replies kept now, about: for tests. */
  long size() {
    anonymous.cleanUp();
    sessions.cleanUp();
    long inSessions = sessions.asMap().values().stream().mapToLong(SessionReplies::size).sum();
    return anonymous.estimatedSize() + inSessions;
  }

  private static Lookup lookup(Entry existing) {
    if (existing == null) {
      return new Fresh();
    }
    return existing.reply() == null
        ? new InProgress()
        : new Answered(existing.reply(), existing.sentTo());
  }

  /** One session's recent replies, newest last. */
  private static final class SessionReplies {
    private final Map<Long, Entry> bySeq =
        new LinkedHashMap<>() {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, Entry> eldest) {
            return size() > PER_SESSION;
          }
        };

    synchronized Lookup begin(long seq, long now) {
      Entry existing = bySeq.get(seq);
      if (existing != null && existing.reply() != null && now - existing.at() > KEEP.toNanos()) {
        existing = null; // too old to be a retransmission
      }
      if (existing == null) {
        bySeq.put(seq, IN_PROGRESS);
      }
      return lookup(existing);
    }

    synchronized void put(long seq, Entry entry) {
      bySeq.put(seq, entry);
    }

    synchronized void remove(long seq) {
      bySeq.remove(seq);
    }

    synchronized int size() {
      return bySeq.size();
    }
  }
}
