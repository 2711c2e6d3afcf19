package org.kabar.server.gateway.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.ResourceException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kabar.adapter.api.AdapterStatus;
import org.kabar.adapter.api.MessengerConnection;
import org.kabar.adapter.api.PeerLane;
import org.kabar.adapter.api.PeerLinkId;
import org.kabar.adapter.api.PeerLiveness;
import org.kabar.protocol.client.ClientReply;
import org.kabar.protocol.peer.PeerFrame;

/** The handles on the socket a thread takes: one per send, or one held for a batch's sends. */
class ClientRepliesTest {

  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);

  /** Counts the handles taken and returned, and the datagrams sent through them. */
  static final class CountingSockets {
    int taken;
    int returned;
    final List<ClientReply> sent = new ArrayList<>();
    boolean refuse;

    MessengerConnection getConnection() throws ResourceException {
      if (refuse) {
        throw new ResourceException("no handle");
      }
      taken++;
      return new MessengerConnection() {
        @Override
        public int send(InetSocketAddress client, ClientReply reply) {
          sent.add(reply);
          return 1;
        }

        @Override
        public int sendToAll(List<InetSocketAddress> clients, ClientReply reply) {
          clients.forEach(c -> sent.add(reply));
          return clients.size();
        }

        @Override
        public void reply(PeerLinkId link, PeerFrame frame) throws IOException {
          throw new IOException("not in this test");
        }

        @Override
        public void reply(PeerLinkId link, List<? extends PeerFrame> frames, PeerLane lane)
            throws IOException {
          throw new IOException("not in this test");
        }

        @Override
        public PeerLinkId sendToPeer(InetSocketAddress peer, PeerFrame frame) throws IOException {
          throw new IOException("not in this test");
        }

        @Override
        public PeerLinkId sendToPeer(
            InetSocketAddress peer, List<? extends PeerFrame> frames, PeerLane lane)
            throws IOException {
          throw new IOException("not in this test");
        }

        @Override
        public void watchPeers(Collection<InetSocketAddress> peers) {}

        @Override
        public void sendControl(String node, PeerFrame frame) throws IOException {
          throw new IOException("not in this test");
        }

        @Override
        public List<PeerLiveness> peerLiveness() {
          return List.of();
        }

        @Override
        public AdapterStatus status() {
          return null;
        }

        @Override
        public void close() {
          returned++;
        }
      };
    }
  }

  private final CountingSockets sockets = new CountingSockets();

  private ClientReplies replies() {
    ClientReplies replies = new ClientReplies();
    replies.sockets = sockets::getConnection;
    return replies;
  }

  @Test
  void eachSendTakesAndReturnsAHandleOfItsOwn() {
    ClientReplies replies = replies();
    assertTrue(replies.push(CLIENT, new ClientReply.Alive()));
    assertTrue(replies.push(CLIENT, new ClientReply.Alive()));
    assertEquals(2, sockets.taken);
    assertEquals(2, sockets.returned);
    assertEquals(2, sockets.sent.size());
  }

  @Test
  void aHeldHandleCarriesEverySendOfTheThreadUntilClosed() {
    ClientReplies replies = replies();
    try (ClientReplies.Held held = replies.hold()) {
      replies.push(CLIENT, new ClientReply.Alive());
      replies.push(CLIENT, new ClientReply.Done(1, "ACK"));
      replies.pushAll(List.of(CLIENT, CLIENT), new ClientReply.Alive());
      assertEquals(1, sockets.taken);
      assertEquals(0, sockets.returned, "the held handle is not returned while held");
    }
    assertEquals(1, sockets.returned, "closing the hold returns its handle");
    assertEquals(4, sockets.sent.size());
    replies.push(CLIENT, new ClientReply.Alive());
    assertEquals(2, sockets.taken, "after the hold, a send takes a handle again");
    assertEquals(2, sockets.returned);
  }

  @Test
  void aHoldInsideAHoldKeepsTheOuterHandle() {
    ClientReplies replies = replies();
    try (ClientReplies.Held outer = replies.hold()) {
      try (ClientReplies.Held inner = replies.hold()) {
        replies.push(CLIENT, new ClientReply.Alive());
      }
      replies.push(CLIENT, new ClientReply.Alive());
      assertEquals(1, sockets.taken);
      assertEquals(0, sockets.returned, "the inner hold's close leaves the outer handle held");
    }
    assertEquals(1, sockets.returned);
  }

  @Test
  void anotherThreadDoesNotUseTheHeldHandle() throws InterruptedException {
    ClientReplies replies = replies();
    try (ClientReplies.Held held = replies.hold()) {
      Thread other = new Thread(() -> replies.push(CLIENT, new ClientReply.Alive()));
      other.start();
      other.join();
      assertEquals(2, sockets.taken, "the other thread took a handle of its own");
      assertEquals(1, sockets.returned, "and returned it");
    }
  }

  @Test
  void withoutAHandleToHoldEachSendStillTriesOnItsOwn() {
    ClientReplies replies = replies();
    sockets.refuse = true;
    try (ClientReplies.Held held = replies.hold()) {
      sockets.refuse = false;
      assertTrue(replies.push(CLIENT, new ClientReply.Alive()));
      assertEquals(1, sockets.taken);
      assertEquals(1, sockets.returned);
    }
    assertEquals(1, sockets.returned, "closing a hold that got nothing returns nothing");
  }
}
