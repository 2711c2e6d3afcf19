package org.kabar.admin;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import org.kabar.adapter.api.AdapterStatus;
import org.kabar.protocol.peer.Load;
import org.kabar.server.cluster.boundary.ClusterLoad;
import org.kabar.server.cluster.boundary.ServerDirectory;
import org.kabar.server.cluster.entity.ServerEntry;
import org.kabar.server.node.MessageRate;
import org.kabar.server.node.NodeSettings;
import org.kabar.server.node.NodeStatus;
import org.kabar.server.presence.boundary.Sessions;

/**
 * The overview: every server of the deployment as this node sees it, with its state and users, and
 * this node's own queues. Recomputed at every (AJAX) request.
 */
@Named
@RequestScoped
public class Overview {

  @EJB ServerDirectory directory;

  @EJB Sessions sessions;

  @EJB NodeStatus status;

  @Inject NodeSettings settings;

  @EJB ClusterLoad load;

  /** The loads shown: this node's and the fresh ones of the others, by node name. */
  private final Map<String, Load> loads = new LinkedHashMap<>();

  /** One server's line. */
  public record Server(
      String node,
      String host,
      int port,
      boolean self,
      boolean active,
      String lastSeen,
      String roundTrip,
      long users,
      String keyFingerprint,
      String quota,
      String rate,
      String undelivered,
      String queue,
      String dropped)
      implements Serializable {

    /** Where it takes peer links. */
    public String address() {
      return host + ":" + port;
    }
  }

  private List<Server> servers;

  public List<Server> getServers() {
    if (servers == null) {
      servers = load();
    }
    return servers;
  }

  /** Reads the servers again at the next use: after an action changed them. */
  public void refresh() {
    servers = null;
  }

  private List<Server> load() {
    load.ask(); // the answers show at the next refresh
    Load here = load.local();
    loads.put(settings.nodeName(), here);
    Map<String, Long> usersByServer =
        sessions.connectedSessions().stream()
            .collect(Collectors.groupingBy(Sessions.SessionView::server, Collectors.counting()));
    List<Server> lines = new ArrayList<>();
    lines.add(
        new Server(
            settings.nodeName(),
            settings.advertisedHost(),
            settings.tcpPort(),
            true,
            true,
            "now",
            "—",
            usersByServer.getOrDefault(settings.nodeName(), 0L),
            "—",
            String.valueOf(here.quota()),
            rate(here),
            String.valueOf(here.undelivered()),
            String.valueOf(here.queueDepth()),
            String.valueOf(here.dropped())));
    Instant now = Instant.now();
    for (ServerEntry entry : directory.all()) {
      if (settings.isSelf(entry.address(), entry.port())) {
        continue;
      }
      String node = entry.node() == null ? "(not yet announced)" : entry.node();
      Optional<Load> theirs =
          entry.node() == null || !entry.active() ? Optional.empty() : load.of(entry.node());
      theirs.ifPresent(l -> loads.put(entry.node(), l));
      lines.add(
          new Server(
              node,
              entry.address(),
              entry.port(),
              false,
              entry.active(),
              entry.lastSeenAt() == null ? "never" : ago(now, entry.lastSeenAt()),
              entry.rttMicros() == ServerEntry.UNMEASURED
                  ? "—"
                  : String.format("%.2f ms", entry.rttMicros() / 1000.0),
              entry.node() == null ? 0 : usersByServer.getOrDefault(entry.node(), 0L),
              entry.keyFingerprint() == null ? "—" : entry.keyFingerprint(),
              theirs.map(l -> String.valueOf(l.quota())).orElse("—"),
              theirs.map(Overview::rate).orElse("—"),
              theirs.map(l -> String.valueOf(l.undelivered())).orElse("—"),
              theirs.map(l -> String.valueOf(l.queueDepth())).orElse("—"),
              theirs.map(l -> String.valueOf(l.dropped())).orElse("—")));
    }
    return lines;
  }

  private static String rate(Load load) {
    return String.format(Locale.ROOT, "%.1f", MessageRate.perSecond(load.counts()));
  }

  /**
   * Messages per second accepted by the servers shown, period by period over the last minutes
   * (oldest first), without the period still running.
   */
  public List<Double> getRates() {
    getServers();
    long newest = MessageRate.periodStart(System.currentTimeMillis());
    double[] sums = new double[Load.BUCKETS - 1];
    for (Load l : loads.values()) {
      for (int i = 0; i < Load.BUCKETS; i++) {
        long start = l.newestBucketMillis() - (Load.BUCKETS - 1 - i) * Load.BUCKET_MILLIS;
        long age = (newest - start) / Load.BUCKET_MILLIS; // 0: the running period
        if (age >= 1 && age < Load.BUCKETS) {
          sums[(int) (Load.BUCKETS - 1 - age)] += l.counts().get(i);
        }
      }
    }
    List<Double> rates = new ArrayList<>(sums.length);
    for (double sum : sums) {
      rates.add(sum * 1000.0 / Load.BUCKET_MILLIS);
    }
    return rates;
  }

  /** The deployment's messages per second over the last full period. */
  public String getRate() {
    List<Double> rates = getRates();
    return String.format(Locale.ROOT, "%.1f", rates.get(rates.size() - 1));
  }

  /** The highest rate of the chart, its top line. */
  public String getChartMax() {
    return String.format(Locale.ROOT, "%.1f", chartTop());
  }

  private double chartTop() {
    return Math.max(1, getRates().stream().mapToDouble(Double::doubleValue).max().orElse(0));
  }

  /** The chart's line: SVG points in a 300 × 100 box, one per period. */
  public String getChartPoints() {
    List<Double> rates = getRates();
    double top = chartTop();
    StringBuilder points = new StringBuilder();
    for (int i = 0; i < rates.size(); i++) {
      double x = i * 300.0 / (rates.size() - 1);
      double y = 100 - rates.get(i) / top * 95;
      points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
    }
    return points.toString().strip();
  }

  private static String ago(Instant now, Instant then) {
    long seconds = Math.max(0, Duration.between(then, now).toSeconds());
    return seconds < 120 ? seconds + " s ago" : seconds / 60 + " min ago";
  }

  public String getNodeName() {
    return settings.nodeName();
  }

  public long getUsersHere() {
    return getServers().get(0).users();
  }

  public int getQuota() {
    return settings.quota();
  }

  public long getUndelivered() {
    return status.undelivered();
  }

  public long getQueueDepth() {
    return client(AdapterStatus.QueueStatus::depth);
  }

  public long getDropped() {
    return client(AdapterStatus.QueueStatus::dropped);
  }

  public long getActiveServers() {
    return getServers().stream().filter(Server::active).count();
  }

  private long client(ToLongFunction<AdapterStatus.QueueStatus> counter) {
    return status
        .adapter()
        .map(AdapterStatus::client)
        .map(queue -> counter.applyAsLong(queue))
        .orElse(-1L);
  }
}
