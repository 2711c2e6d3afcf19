package org.kabar.server.gateway.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.resource.ResourceException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.kabar.adapter.api.ClientDatagram;
import org.kabar.adapter.api.MessengerConnection;
import org.kabar.adapter.api.MessengerConnectionFactory;
import org.kabar.protocol.client.ClientCodec;
import org.kabar.protocol.client.ClientReply;
import org.kabar.protocol.client.ClientReply.ErrorReply;
import org.kabar.server.node.NodeResources;

/**
 * Sends replies and pushes to clients from the node's UDP port. A reply to an address that has not
 * proved it receives there (a datagram without a session, or with a session's token from an address
 * other than the session's) is never larger than the datagram that caused it, so a forged source
 * address cannot turn the node into an amplifier: an error that would be larger is cut to its code
 * ({@code ERR 404}), anything else is withheld and counted.
 *
 * <p>Each send takes a handle on the adapter's socket from the container's pool and gives it back.
 * A thread that sends many (the replies and pushes of a delivered batch) holds one handle for all
 * of them instead ({@link #hold}).
 */
@ApplicationScoped
public class ClientReplies {

  private static final Logger LOG = Logger.getLogger(ClientReplies.class.getName());

  @Resource(lookup = NodeResources.SOCKETS)
  MessengerConnectionFactory sockets;

  private final AtomicLong withheld = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  /** The handle a thread holds while it serves a batch, if it does. */
  private final ThreadLocal<MessengerConnection> held = new ThreadLocal<>();

  /** A handle held for this thread's sends until closed; closing gives it back. */
  public interface Held extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Holds one handle on the socket for every send of this thread until the result is closed. Inside
   * an earlier hold, or when no handle can be had (then each send tries on its own), closing does
   * nothing.
   */
  public Held hold() {
    if (held.get() != null) {
      return () -> {};
    }
    MessengerConnection connection;
    try {
      connection = sockets.getConnection();
    } catch (ResourceException e) {
      LOG.log(Level.FINE, "no handle on the socket to hold", e);
      return () -> {};
    }
    held.set(connection);
    return () -> {
      held.remove();
      connection.close();
    };
  }

  /**
   * Replies to a datagram from a sender not yet authenticated.
   *
   * @return true if the reply was sent, false if withheld or the send failed
   */
  public boolean sendUnauthenticated(ClientDatagram to, ClientReply reply) {
    return send(to.sender(), reply, to.sizeBytes());
  }

  /**
   * Replies to a datagram of a session.
   *
   * @param fromItsAddress whether it came from the address the session's client proved it receives
   *     at; if not, the reply is bounded like an unauthenticated one
   */
  public boolean send(ClientDatagram to, ClientReply reply, boolean fromItsAddress) {
    return send(to.sender(), reply, fromItsAddress ? Integer.MAX_VALUE : to.sizeBytes());
  }

  /**
   * Sends a reply of at most {@code limit} bytes (an error that would be larger is cut to its code,
   * anything else withheld): what is left of a datagram's size once other replies to it went out.
   *
   * @param limit the most bytes that may go, {@link Integer#MAX_VALUE} for a session's own address
   * @return the bytes sent: 0 if withheld or the send failed
   */
  public int sendWithin(InetSocketAddress client, ClientReply reply, int limit) {
    return sendBytes(client, reply, limit);
  }

  /** Pushes to a session's address (it proved it holds the session's token). */
  public boolean push(InetSocketAddress client, ClientReply reply) {
    return send(client, reply, Integer.MAX_VALUE);
  }

  /**
   * Pushes the same datagram to many sessions' addresses, encoded once and sent over one connection
   * (the online list to everyone connected here).
   *
   * @return how many it was sent to
   */
  public int pushAll(List<InetSocketAddress> clients, ClientReply reply) {
    if (clients.isEmpty()) {
      return 0;
    }
    MessengerConnection holding = held.get();
    if (holding != null) {
      int sent = holding.sendToAll(clients, reply);
      failed.addAndGet(clients.size() - sent);
      return sent;
    }
    try (MessengerConnection connection = sockets.getConnection()) {
      int sent = connection.sendToAll(clients, reply);
      failed.addAndGet(clients.size() - sent);
      return sent;
    } catch (ResourceException e) {
      failed.addAndGet(clients.size());
      LOG.log(Level.WARNING, "a notice to " + clients.size() + " clients not sent", e);
      return 0;
    }
  }

  /** Whether the reply fits the anti-amplification limit of a datagram. */
  public boolean fits(ClientDatagram to, ClientReply reply) {
    return ClientCodec.encode(reply).length <= to.sizeBytes();
  }

  private boolean send(InetSocketAddress client, ClientReply reply, int limit) {
    return sendBytes(client, reply, limit) > 0;
  }

  private int sendBytes(InetSocketAddress client, ClientReply reply, int limit) {
    int size = limit < Integer.MAX_VALUE ? ClientCodec.encode(reply).length : 0;
    if (size > limit) {
      if (reply instanceof ErrorReply error && !error.text().isEmpty()) {
        return sendBytes(client, new ErrorReply(error.seq(), error.code(), ""), limit);
      }
      withheld.incrementAndGet();
      LOG.fine(() -> "reply to " + client + " withheld: larger than its datagram");
      return 0;
    }
    MessengerConnection holding = held.get();
    if (holding != null) {
      try {
        return Math.max(1, holding.send(client, reply));
      } catch (IOException e) {
        failed.incrementAndGet();
        LOG.log(Level.WARNING, "reply to " + client + " not sent", e);
        return 0;
      }
    }
    try (MessengerConnection connection = sockets.getConnection()) {
      return Math.max(1, connection.send(client, reply));
    } catch (ResourceException | IOException e) {
      failed.incrementAndGet();
      LOG.log(Level.WARNING, "reply to " + client + " not sent", e);
      return 0;
    }
  }

  /** Replies withheld by the anti-amplification rule since the node started. */
  public long withheld() {
    return withheld.get();
  }

  /** Replies the socket failed to send since the node started. */
  public long failed() {
    return failed.get();
  }
}
