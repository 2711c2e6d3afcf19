package org.kabar.adapter;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.Connector;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.TransactionSupport;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import javax.transaction.xa.XAResource;
import org.kabar.adapter.api.ClientDatagram;
import org.kabar.adapter.api.ClientDatagramListener;
import org.kabar.adapter.api.PeerFrameListener;
import org.kabar.adapter.api.PeerMessage;
import org.kabar.adapter.inbound.ClientDatagramActivationSpec;
import org.kabar.adapter.inbound.EndpointInvoker;
import org.kabar.adapter.inbound.PeerFrameActivationSpec;
import org.kabar.adapter.inbound.SendShedding;
import org.kabar.adapter.transport.Handshake;
import org.kabar.adapter.transport.PeerLimits;
import org.kabar.protocol.peer.PeerKey;

/**
 * The resource adapter: binds the client UDP socket and the peer TCP listener in {@link #start},
 * connects message-driven beans to their inbound queues on activation, and closes everything in
 * {@link #stop}. Every setting has a default here; META-INF/ra.xml lets the environment override it
 * (KABAR_* variables, see docs/OPERATIONS.md).
 */
@Connector(
    displayName = "Kabar socket adapter",
    description = "Owns the client UDP socket and the peer TCP socket of a Kabar node",
    vendorName = "Kabar",
    eisType = "Kabar messenger sockets",
    version = "1.0",
    transactionSupport = TransactionSupport.TransactionSupportLevel.NoTransaction)
public class KabarResourceAdapter implements jakarta.resource.spi.ResourceAdapter {

  private static final Logger LOG = Logger.getLogger(KabarResourceAdapter.class.getName());

  private static final int CONNECT_TIMEOUT_MILLIS = 3000;

  @ConfigProperty(defaultValue = "127.0.0.1", description = "Address both sockets bind to")
  private String bindAddress = "127.0.0.1";

  @ConfigProperty(defaultValue = "4999", description = "UDP port for clients")
  private Integer udpPort = 4999;

  @ConfigProperty(defaultValue = "5000", description = "TCP port for peer servers")
  private Integer tcpPort = 5000;

  @ConfigProperty(defaultValue = "8388608", description = "SO_RCVBUF asked for, in bytes")
  private Integer receiveBufferBytes = 8 * 1024 * 1024;

  @ConfigProperty(defaultValue = "16384", description = "Client datagrams waiting at most")
  private Integer clientQueueCapacity = 16384;

  @ConfigProperty(defaultValue = "16", description = "Concurrent client deliveries")
  private Integer clientDeliveryThreads = 16;

  @ConfigProperty(
      defaultValue = "256",
      description =
          "The most client datagrams one delivery takes from the queue (1: one at a time)")
  private Integer clientBatch = 256;

  @ConfigProperty(
      defaultValue = "25",
      description = "A SEND that waited longer in the client queue is refused busy (0: never)")
  private Integer shedAfterMillis = SendShedding.DEFAULT_MILLIS;

  @ConfigProperty(
      defaultValue = "1024",
      description = "Client datagrams without a session (logins, registrations) waiting at most")
  private Integer openQueueCapacity = 1024;

  @ConfigProperty(
      defaultValue = "2",
      description = "Concurrent deliveries of client datagrams without a session")
  private Integer openDeliveryThreads = 2;

  @ConfigProperty(defaultValue = "1024", description = "Peer frames waiting at most")
  private Integer peerQueueCapacity = 1024;

  @ConfigProperty(defaultValue = "4", description = "Concurrent peer frame deliveries")
  private Integer peerDeliveryThreads = 4;

  @ConfigProperty(defaultValue = "64", description = "Open peer links at most")
  private Integer maxPeerLinks = 64;

  @ConfigProperty(
      defaultValue = "8",
      description = "Accepted peer sockets still in their handshake at most (apart from the links)")
  private Integer maxPeerHandshakes = 8;

  @ConfigProperty(
      defaultValue = "2",
      description = "Peer sockets in their handshake at most from one remote address")
  private Integer maxPeerHandshakesPerAddress = 2;

  @ConfigProperty(
      defaultValue = "5",
      description = "Seconds from accept or connect to a finished peer handshake, at most")
  private Integer peerHandshakeSeconds = 5;

  @ConfigProperty(defaultValue = "900", description = "Seconds a silent peer link stays open")
  private Integer peerIdleTimeoutSeconds = 900;

  @ConfigProperty(defaultValue = "node1", description = "This node's name, told to peers")
  private String nodeName = "node1";

  @ConfigProperty(
      defaultValue = "",
      description = "Deployment key peers prove they hold (16+ characters; empty: no peers)",
      confidential = true)
  private String clusterKey = "";

  private final Map<ActivationKey, Runnable> activations = new ConcurrentHashMap<>();
  private volatile NodeSockets sockets;

  @Override
  public void start(BootstrapContext context) throws ResourceAdapterInternalException {
    WorkManager workManager = context.getWorkManager();
    try {
      sockets =
          NodeSockets.open(
              new NodeSockets.Settings(
                  new InetSocketAddress(bindAddress, udpPort),
                  new InetSocketAddress(bindAddress, tcpPort),
                  receiveBufferBytes,
                  clientQueueCapacity,
                  clientDeliveryThreads,
                  clientBatch,
                  openQueueCapacity,
                  openDeliveryThreads,
                  peerQueueCapacity,
                  peerDeliveryThreads,
                  new PeerLimits(
                      maxPeerLinks,
                      maxPeerHandshakes,
                      maxPeerHandshakesPerAddress,
                      peerHandshakeSeconds * 1000,
                      peerIdleTimeoutSeconds * 1000,
                      CONNECT_TIMEOUT_MILLIS),
                  new Handshake(nodeName, clusterKey.isEmpty() ? null : new PeerKey(clusterKey)),
                  shedAfterMillis),
              (name, loop) -> schedule(workManager, name, loop));
    } catch (IOException | IllegalArgumentException e) {
      LOG.severe("Kabar adapter not started: " + e.getMessage());
      throw new ResourceAdapterInternalException(e.getMessage(), e);
    }
    LOG.info(
        () ->
            "Kabar adapter listening: clients on UDP "
                + sockets.clientSocket().localAddress()
                + ", peers on TCP "
                + sockets.peerServer().localAddress()
                + "; SO_RCVBUF asked "
                + receiveBufferBytes
                + " bytes, granted "
                + sockets.clientSocket().receiveBufferGranted());
  }

  @Override
  public void stop() {
    NodeSockets current = sockets;
    sockets = null;
    if (current != null) {
      current.close();
      LOG.info("Kabar adapter stopped: sockets closed");
    }
  }

  @Override
  public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec)
      throws ResourceException {
    NodeSockets current = requireStarted();
    ActivationKey key = new ActivationKey(factory, spec);
    if (spec instanceof ClientDatagramActivationSpec) {
      EndpointInvoker<List<ClientDatagram>> invoker =
          new EndpointInvoker<>(
              factory,
              listenerMethod(ClientDatagramListener.class, "onDatagrams", List.class),
              (endpoint, datagrams) -> ((ClientDatagramListener) endpoint).onDatagrams(datagrams));
      current.clientQueue().attach(invoker);
      current.openQueue().attach(invoker);
      activations.put(
          key,
          () -> {
            current.clientQueue().detach(invoker);
            current.openQueue().detach(invoker);
          });
    } else if (spec instanceof PeerFrameActivationSpec) {
      EndpointInvoker<List<PeerMessage>> invoker =
          new EndpointInvoker<>(
              factory,
              listenerMethod(PeerFrameListener.class, "onFrames", List.class),
              (endpoint, messages) -> ((PeerFrameListener) endpoint).onFrames(messages));
      current.liveQueue().attach(invoker);
      current.peerQueue().attach(invoker);
      current.claimQueue().attach(invoker);
      current.ackQueue().attach(invoker);
      activations.put(
          key,
          () -> {
            current.ackQueue().detach(invoker);
            current.liveQueue().detach(invoker);
            current.peerQueue().detach(invoker);
            current.claimQueue().detach(invoker);
          });
    } else {
      throw new ResourceException("unsupported activation spec " + spec.getClass().getName());
    }
    LOG.info(() -> "endpoint activated for " + spec.getClass().getSimpleName());
  }

  @Override
  public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
    Runnable detach = activations.remove(new ActivationKey(factory, spec));
    if (detach != null) {
      detach.run();
      LOG.info(() -> "endpoint deactivated for " + spec.getClass().getSimpleName());
    }
  }

  @Override
  public XAResource[] getXAResources(ActivationSpec[] specs) {
    return new XAResource[0];
  }

  /** The running sockets, for outbound connections. */
  public NodeSockets requireStarted() throws ResourceException {
    NodeSockets current = sockets;
    if (current == null) {
      throw new ResourceException("the Kabar adapter is not started");
    }
    return current;
  }

  private static Method listenerMethod(Class<?> type, String name, Class<?> parameter)
      throws ResourceException {
    try {
      return type.getMethod(name, parameter);
    } catch (NoSuchMethodException e) {
      throw new ResourceException("listener method missing: " + name, e);
    }
  }

  private static void schedule(WorkManager workManager, String name, Runnable loop) {
    try {
      workManager.scheduleWork(new LoopWork(name, loop), WorkManager.INDEFINITE, null, null);
    } catch (WorkException e) {
      throw new IllegalStateException("the container refused to run " + name, e);
    }
  }

  private record ActivationKey(MessageEndpointFactory factory, ActivationSpec spec) {}

  /** A long-running loop as JCA work; the loop ends when its socket is closed in {@link #stop}. */
  private record LoopWork(String name, Runnable loop) implements Work {
    @Override
    public void run() {
      Thread.currentThread().setName(name);
      loop.run();
    }

    @Override
    public void release() {
      // the loop ends when stop() closes its socket
    }
  }

  // JavaBean accessors: the container sets configuration through them.

  public String getBindAddress() {
    return bindAddress;
  }

  public void setBindAddress(String bindAddress) {
    this.bindAddress = bindAddress;
  }

  public Integer getUdpPort() {
    return udpPort;
  }

  public void setUdpPort(Integer udpPort) {
    this.udpPort = udpPort;
  }

  public Integer getTcpPort() {
    return tcpPort;
  }

  public void setTcpPort(Integer tcpPort) {
    this.tcpPort = tcpPort;
  }

  public Integer getReceiveBufferBytes() {
    return receiveBufferBytes;
  }

  public void setReceiveBufferBytes(Integer receiveBufferBytes) {
    this.receiveBufferBytes = receiveBufferBytes;
  }

  public Integer getClientBatch() {
    return clientBatch;
  }

  public void setClientBatch(Integer clientBatch) {
    this.clientBatch = clientBatch;
  }

  public Integer getShedAfterMillis() {
    return shedAfterMillis;
  }

  public void setShedAfterMillis(Integer shedAfterMillis) {
    this.shedAfterMillis = shedAfterMillis;
  }

  public Integer getClientQueueCapacity() {
    return clientQueueCapacity;
  }

  public void setClientQueueCapacity(Integer clientQueueCapacity) {
    this.clientQueueCapacity = clientQueueCapacity;
  }

  public Integer getClientDeliveryThreads() {
    return clientDeliveryThreads;
  }

  public void setClientDeliveryThreads(Integer clientDeliveryThreads) {
    this.clientDeliveryThreads = clientDeliveryThreads;
  }

  public Integer getOpenQueueCapacity() {
    return openQueueCapacity;
  }

  public void setOpenQueueCapacity(Integer openQueueCapacity) {
    this.openQueueCapacity = openQueueCapacity;
  }

  public Integer getOpenDeliveryThreads() {
    return openDeliveryThreads;
  }

  public void setOpenDeliveryThreads(Integer openDeliveryThreads) {
    this.openDeliveryThreads = openDeliveryThreads;
  }

  public Integer getPeerQueueCapacity() {
    return peerQueueCapacity;
  }

  public void setPeerQueueCapacity(Integer peerQueueCapacity) {
    this.peerQueueCapacity = peerQueueCapacity;
  }

  public Integer getPeerDeliveryThreads() {
    return peerDeliveryThreads;
  }

  public void setPeerDeliveryThreads(Integer peerDeliveryThreads) {
    this.peerDeliveryThreads = peerDeliveryThreads;
  }

  public Integer getMaxPeerLinks() {
    return maxPeerLinks;
  }

  public void setMaxPeerLinks(Integer maxPeerLinks) {
    this.maxPeerLinks = maxPeerLinks;
  }

  public String getNodeName() {
    return nodeName;
  }

  public void setNodeName(String nodeName) {
    this.nodeName = nodeName;
  }

  public String getClusterKey() {
    return clusterKey;
  }

  public void setClusterKey(String clusterKey) {
    this.clusterKey = clusterKey == null ? "" : clusterKey;
  }

  public Integer getMaxPeerHandshakes() {
    return maxPeerHandshakes;
  }

  public void setMaxPeerHandshakes(Integer maxPeerHandshakes) {
    this.maxPeerHandshakes = maxPeerHandshakes;
  }

  public Integer getMaxPeerHandshakesPerAddress() {
    return maxPeerHandshakesPerAddress;
  }

  public void setMaxPeerHandshakesPerAddress(Integer maxPeerHandshakesPerAddress) {
    this.maxPeerHandshakesPerAddress = maxPeerHandshakesPerAddress;
  }

  public Integer getPeerHandshakeSeconds() {
    return peerHandshakeSeconds;
  }

  public void setPeerHandshakeSeconds(Integer peerHandshakeSeconds) {
    this.peerHandshakeSeconds = peerHandshakeSeconds;
  }

  public Integer getPeerIdleTimeoutSeconds() {
    return peerIdleTimeoutSeconds;
  }

  public void setPeerIdleTimeoutSeconds(Integer peerIdleTimeoutSeconds) {
    this.peerIdleTimeoutSeconds = peerIdleTimeoutSeconds;
  }

  // The spec asks a resource adapter to define equality; one instance per deployment, so identity.
  @Override
  public boolean equals(Object other) {
    return this == other;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }
}
