package org.kabar.server.cluster.boundary;

import jakarta.ejb.Asynchronous;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.kabar.adapter.api.AdapterStatus;
import org.kabar.protocol.peer.Load;
import org.kabar.protocol.peer.LoadQuery;
import org.kabar.server.node.MessageRate;
import org.kabar.server.node.NodeSettings;
import org.kabar.server.node.NodeStatus;

/**
 * The load of every server for the web console: this node's own, and the latest each other active
 * server answered to {@code LOAD?}. Asking is rate-limited and never holds up the page; an answer
 * older than {@link #FRESH_MILLIS} is not shown.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ClusterLoad {

  /** An answer is shown for this long. */
  static final long FRESH_MILLIS = 15_000;

  /** Servers are asked at most this often, however many consoles poll. */
  static final long ASK_EVERY_MILLIS = 2_000;

  private record Answer(Load load, long atMillis) {}

  private final Map<String, Answer> answers = new ConcurrentHashMap<>();

  private final AtomicLong lastAsked = new AtomicLong();

  @EJB PeerBroadcast peers;

  @EJB NodeStatus status;

  @Inject MessageRate rate;

  @Inject NodeSettings settings;

  /** This node's load now. */
  public Load local() {
    Optional<AdapterStatus.QueueStatus> queue =
        status.adapter().map(AdapterStatus::client).filter(q -> q != null);
    long now = System.currentTimeMillis();
    return new Load(
        settings.quota(),
        Math.max(
            0,
            status.count(
                "SELECT COUNT(c) FROM ConnectedSession c"
                    + " WHERE c.connected = TRUE AND c.server = :node")),
        Math.max(0, status.undelivered()),
        queue.map(q -> (long) q.depth()).orElse(0L),
        queue.map(AdapterStatus.QueueStatus::dropped).orElse(0L),
        MessageRate.periodStart(now),
        rate.periods());
  }

  /** The latest load another server answered, if it is recent. */
  public Optional<Load> of(String node) {
    Answer answer = answers.get(node);
    return answer == null || answer.atMillis() < System.currentTimeMillis() - FRESH_MILLIS
        ? Optional.empty()
        : Optional.of(answer.load());
  }

  /** Asks every active server for its load, unless that was done a moment ago; returns at once. */
  @Asynchronous
  public void ask() {
    long now = System.currentTimeMillis();
    long last = lastAsked.get();
    if (now - last >= ASK_EVERY_MILLIS && lastAsked.compareAndSet(last, now)) {
      peers.toActivePeers(new LoadQuery());
    }
  }

  /** A server's answer. */
  public void received(String node, Load load) {
    answers.put(node, new Answer(load, System.currentTimeMillis()));
  }
}
