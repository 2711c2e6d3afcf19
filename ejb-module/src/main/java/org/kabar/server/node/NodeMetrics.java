package org.kabar.server.node;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.function.ToLongFunction;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.annotation.Gauge;
import org.kabar.adapter.api.AdapterStatus;
import org.kabar.server.accounts.control.LoginThrottle;
import org.kabar.server.cluster.boundary.ServerDirectory;
import org.kabar.server.cluster.control.CopiesSent;
import org.kabar.server.gateway.control.ClientReplies;
import org.kabar.server.presence.boundary.Authenticator;

/**
 * The adapter's and gateway's counters as MicroProfile metrics, served at {@code /metrics} (for
 * example {@code kabar_client_datagrams_dropped}).
 */
@ApplicationScoped
public class NodeMetrics {

  @Inject ClientReplies replies;

  @Inject Authenticator authenticator;

  @Inject LoginThrottle throttle;

  @EJB NodeStatus status;

  @EJB ServerDirectory servers;

  @Inject CopiesSent copies;

  /** Creates the bean when the application starts, so its gauges are registered at once. */
  void register(@Observes @Initialized(ApplicationScoped.class) Object started) {
    // nothing else to do: creating the bean registers the gauges
  }

  @Gauge(
      name = "kabar.peer.copies.sent.messages",
      unit = MetricUnits.NONE,
      absolute = true,
      description = "Copies of messages (MSG) this server sent to other servers, one per server")
  public long messageCopiesSent() {
    return copies.messages();
  }

  @Gauge(
      name = "kabar.peer.copies.sent.sessions",
      unit = MetricUnits.NONE,
      absolute = true,
      description = "Copies of Connected rows (SESSION) this server sent to other servers")
  public long sessionCopiesSent() {
    return copies.sessions();
  }

  @Gauge(
      name = "kabar.peer.copies.sent.channels",
      unit = MetricUnits.NONE,
      absolute = true,
      description = "Copies of channels and members (CHANNEL, MEMBER) sent to other servers")
  public long channelCopiesSent() {
    return copies.channels();
  }

  @Gauge(
      name = "kabar.peer.copies.refused",
      unit = MetricUnits.NONE,
      absolute = true,
      description = "Copies not sent because a slow server's link had no room for them")
  public long copiesRefused() {
    return copies.refused();
  }

  @Gauge(
      name = "kabar.messages.confirmed.stored",
      unit = MetricUnits.NONE,
      absolute = true,
      description = "Messages sent here that a second server confirmed on its disk (STORED)")
  public long messagesConfirmed() {
    return copies.confirmed();
  }

  @Gauge(
      name = "kabar.messages.unconfirmed",
      unit = MetricUnits.NONE,
      absolute = true,
      description = "Messages sent here whose second copy was not confirmed in time: ERR 507")
  public long messagesUnconfirmed() {
    return copies.unconfirmed();
  }

  @Gauge(
      name = "kabar.client.datagrams.received",
      unit = MetricUnits.NONE,
      absolute = true,
      description = "Client datagrams read from the UDP socket")
  public long clientReceived() {
    return client(AdapterStatus.QueueStatus::received);
  }

  @Gauge(
      name = "kabar.client.datagrams.dropped",
      unit = MetricUnits.NONE,
      absolute = true,
      description = "Client datagrams dropped because the inbound queue stayed full")
  public long clientDropped() {
    return client(AdapterStatus.QueueStatus::dropped);
  }

  @Gauge(
      name = "kabar.client.queue.depth",
      unit = MetricUnits.NONE,
      absolute = true,
      description = "Client datagrams waiting for a message-driven bean")
  public long clientQueueDepth() {
    return client(AdapterStatus.QueueStatus::depth);
  }

  @Gauge(
      name = "kabar.client.replies.withheld",
      unit = MetricUnits.NONE,
      absolute = true,
      description = "Replies withheld because they were larger than an unauthenticated request")
  public long repliesWithheld() {
    return replies.withheld();
  }

  @Gauge(
      name = "kabar.client.open.dropped",
      unit = MetricUnits.NONE,
      absolute = true,
      description =
          "Client datagrams without a session (logins, registrations) dropped: their queue was full")
  public long openDropped() {
    AdapterStatus status = status();
    return status == null || status.open() == null ? 0 : status.open().dropped();
  }

  @Gauge(
      name = "kabar.client.sends.shed",
      unit = MetricUnits.NONE,
      absolute = true,
      description =
          "SENDs refused with ERR 507 busy: they waited longer than KABAR_SHED_AFTER_MILLIS")
  public long sendsShed() {
    return client(AdapterStatus.QueueStatus::shed);
  }

  @Gauge(
      name = "kabar.client.token.lookups",
      unit = MetricUnits.NONE,
      absolute = true,
      description = "Session tokens looked up in the database: not held in memory")
  public long tokenLookups() {
    return authenticator.lookups();
  }

  @Gauge(
      name = "kabar.logins.failed",
      unit = MetricUnits.NONE,
      absolute = true,
      description = "Login proofs that were wrong")
  public long loginsFailed() {
    return throttle.failures();
  }

  @Gauge(
      name = "kabar.udp.receive.buffer.granted",
      unit = MetricUnits.BYTES,
      absolute = true,
      description = "SO_RCVBUF the operating system granted the client socket")
  public long receiveBufferGranted() {
    AdapterStatus status = status();
    return status == null ? 0 : status.receiveBufferGranted();
  }

  @Gauge(
      name = "kabar.peers.known",
      unit = MetricUnits.NONE,
      absolute = true,
      description = "Servers in this node's server list")
  public long peersKnown() {
    return servers.all().size();
  }

  @Gauge(
      name = "kabar.peers.active",
      unit = MetricUnits.NONE,
      absolute = true,
      description = "Servers that answered their last check (Active = 1)")
  public long peersActive() {
    return servers.activeNearestFirst().size();
  }

  @Gauge(
      name = "kabar.sessions.here",
      unit = MetricUnits.NONE,
      absolute = true,
      description = "Sessions connected to this server (Connected = 1, Server = this node)")
  public long sessionsHere() {
    return status.count(
        "SELECT COUNT(c) FROM ConnectedSession c WHERE c.connected = TRUE AND c.server = :node");
  }

  @Gauge(
      name = "kabar.messages.undelivered",
      unit = MetricUnits.NONE,
      absolute = true,
      description = "Messages held here that no recipient has acknowledged yet")
  public long messagesUndelivered() {
    return status.undelivered();
  }

  private long client(ToLongFunction<AdapterStatus.QueueStatus> counter) {
    AdapterStatus status = status();
    return status == null || status.client() == null ? 0 : counter.applyAsLong(status.client());
  }

  private AdapterStatus status() {
    return status.adapter().orElse(null);
  }
}
