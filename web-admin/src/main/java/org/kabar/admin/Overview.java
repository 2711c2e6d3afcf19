package org.kabar.admin;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import org.kabar.adapter.api.AdapterStatus;
import org.kabar.server.cluster.boundary.ServerDirectory;
import org.kabar.server.cluster.entity.ServerEntry;
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
      String keyFingerprint)
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
            "—"));
    Instant now = Instant.now();
    for (ServerEntry entry : directory.all()) {
      if (settings.isSelf(entry.address(), entry.port())) {
        continue;
      }
      String node = entry.node() == null ? "(not yet announced)" : entry.node();
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
              entry.keyFingerprint() == null ? "—" : entry.keyFingerprint()));
    }
    return lines;
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
