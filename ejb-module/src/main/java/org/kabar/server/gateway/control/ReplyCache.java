package org.kabar.server.gateway.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

  private static final int SWEEP_EVERY = 4096;

  private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
  private int puts;

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
    Entry existing = entries.putIfAbsent(key, new Entry(null, System.currentTimeMillis()));
    if (existing == null) {
      return new Fresh();
    }
    return existing.reply() == null ? new InProgress() : new Answered(existing.reply());
  }

  /** Records the reply to a request begun with {@link #begin}. */
  public void finish(Key key, ClientReply reply) {
    entries.put(key, new Entry(reply, System.currentTimeMillis()));
    if (++puts % SWEEP_EVERY == 0) {
      long oldest = System.currentTimeMillis() - KEEP_MILLIS;
      entries.values().removeIf(entry -> entry.at() < oldest);
    }
  }

  /** Forgets a request that failed, so that a retransmission is served afresh. */
  public void abandon(Key key) {
    entries.remove(key);
  }
}
