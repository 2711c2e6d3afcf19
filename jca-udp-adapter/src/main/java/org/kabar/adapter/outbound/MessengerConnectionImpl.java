package org.kabar.adapter.outbound;

import jakarta.resource.ResourceException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import org.kabar.adapter.NodeSockets;
import org.kabar.adapter.api.AdapterStatus;
import org.kabar.adapter.api.MessengerConnection;
import org.kabar.adapter.api.PeerLane;
import org.kabar.adapter.api.PeerLinkId;
import org.kabar.adapter.api.PeerLiveness;
import org.kabar.adapter.transport.ClientSocket;
import org.kabar.adapter.transport.PeerLink;
import org.kabar.protocol.client.ClientCodec;
import org.kabar.protocol.client.ClientReply;
import org.kabar.protocol.peer.PeerFrame;

/** The handle an EJB holds: encodes records at the edge and sends them through the sockets. */
public class MessengerConnectionImpl implements MessengerConnection {

  private volatile KabarManagedConnection managed;

  MessengerConnectionImpl(KabarManagedConnection managed) {
    this.managed = managed;
  }

  void associate(KabarManagedConnection newManaged) {
    KabarManagedConnection old = managed;
    if (old != null && old != newManaged) {
      old.dissociate(this);
    }
    managed = newManaged;
  }

  void invalidate() {
    managed = null;
  }

  @Override
  public int send(InetSocketAddress client, ClientReply reply) throws IOException {
    return sockets().clientSocket().send(client, ClientCodec.encode(reply));
  }

  @Override
  public int sendToAll(List<InetSocketAddress> clients, ClientReply reply) {
    byte[] datagram = ClientCodec.encode(reply);
    ClientSocket socket;
    try {
      socket = sockets().clientSocket();
    } catch (IOException closed) {
      return 0;
    }
    int sent = 0;
    for (InetSocketAddress client : clients) {
      try {
        socket.send(client, datagram);
        sent++;
      } catch (IOException unreachable) {
        // this client is skipped; the caller counts the failures
      }
    }
    return sent;
  }

  @Override
  public void reply(PeerLinkId link, PeerFrame frame) throws IOException {
    reply(link, List.of(frame), PeerLane.LIVE);
  }

  @Override
  public void reply(PeerLinkId link, List<? extends PeerFrame> frames, PeerLane lane)
      throws IOException {
    PeerLink open = sockets().peerLinks().get(link);
    if (open == null) {
      throw new IOException("peer link " + link.value() + " is closed");
    }
    send(open, frames, lane);
  }

  @Override
  public PeerLinkId sendToPeer(InetSocketAddress peer, PeerFrame frame) throws IOException {
    return sendToPeer(peer, List.of(frame), PeerLane.LIVE);
  }

  @Override
  public PeerLinkId sendToPeer(
      InetSocketAddress peer, List<? extends PeerFrame> frames, PeerLane lane) throws IOException {
    PeerLink link = sockets().peerLinks().dial(peer);
    send(link, frames, lane);
    return link.id();
  }

  private static void send(PeerLink link, List<? extends PeerFrame> frames, PeerLane lane)
      throws IOException {
    if (frames.isEmpty()) {
      return;
    }
    if (lane == PeerLane.CATCH_UP) {
      link.sendCatchUp(frames);
    } else {
      link.send(frames);
    }
  }

  @Override
  public void watchPeers(Collection<InetSocketAddress> peers) {
    try {
      sockets().beats().watch(peers);
    } catch (IOException e) {
      // the adapter is not running: nothing to beat with
    }
  }

  @Override
  public void sendControl(String node, PeerFrame frame) throws IOException {
    sockets().beats().send(node, frame);
  }

  @Override
  public List<PeerLiveness> peerLiveness() {
    try {
      return sockets().beats().view();
    } catch (IOException e) {
      return List.of();
    }
  }

  @Override
  public AdapterStatus status() {
    try {
      return sockets().status();
    } catch (IOException e) {
      return new AdapterStatus(null, null, 0, 0, null, null, null, 0);
    }
  }

  @Override
  public void close() {
    KabarManagedConnection current = managed;
    managed = null;
    if (current != null) {
      current.closed(this);
    }
  }

  private NodeSockets sockets() throws IOException {
    KabarManagedConnection current = managed;
    if (current == null) {
      throw new IOException("connection closed");
    }
    try {
      return current.sockets();
    } catch (ResourceException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
