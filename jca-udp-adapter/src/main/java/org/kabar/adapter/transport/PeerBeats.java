package org.kabar.adapter.transport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.kabar.adapter.api.PeerLiveness;
import org.kabar.protocol.peer.Beat;
import org.kabar.protocol.peer.PeerFrame;

/**
 * The node's heartbeats: one {@code BEAT} a second to every peer it watches, each over a link of
 * its own that carries nothing else, and a record of the beats that arrive, by node. A beat that
 * arrives is handled by the link's reader as it reads it ({@link #heard}), never queued for a bean,
 * so a node busy with messages still hears its peers in time; and a beat is sent by a thread that
 * does nothing else, on a link no copy of a message waits on.
 *
 * <p>Each watched peer has a thread that opens its link (again and again, waiting {@link
 * #FIRST_RETRY_MILLIS} doubled up to {@link #MOST_RETRY_MILLIS} between failures, so servers that
 * start together find each other as soon as each listens) and then beats on it until it fails. The
 * beans read what is known ({@link #view}) and decide who is alive.
 */
public final class PeerBeats implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(PeerBeats.class.getName());

  /** Between two beats to a peer. */
  public static final long BEAT_MILLIS = 1_000;

  static final long FIRST_RETRY_MILLIS = 200;
  static final long MOST_RETRY_MILLIS = 2_000;

  /** Opens a link for beats alone, never shared with other frames. */
  @FunctionalInterface
  public interface Dialler {
    PeerLink open(InetSocketAddress peer) throws IOException;
  }

  private record Heard(long incarnation, long sequence, long atNanos) {}

  private final long incarnation;
  private final Dialler dialler;
  private final WorkLauncher launcher;
  private final LongSupplier nanos;
  private final Map<String, Heard> heard = new ConcurrentHashMap<>();
  private final Map<InetSocketAddress, Beater> watched = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param incarnation this node's incarnation: its start time in milliseconds
   */
  public PeerBeats(long incarnation, Dialler dialler, WorkLauncher launcher, LongSupplier nanos) {
    this.incarnation = incarnation;
    this.dialler = dialler;
    this.launcher = launcher;
    this.nanos = nanos;
  }

  /** This node's incarnation, as its beats carry it. */
  public long incarnation() {
    return incarnation;
  }

  /** A beat arrived from a node (the name it proved on the link): called by the link's reader. */
  public void heard(String node, Beat beat) {
    long now = nanos.getAsLong();
    heard.merge(
        node,
        new Heard(beat.incarnation(), beat.sequence(), now),
        (old, fresh) -> fresh.incarnation() < old.incarnation() ? old : fresh);
  }

  /**
   * The peers to beat to from now on: a thread starts for each new one, and stops for each no
   * longer named.
   */
  public synchronized void watch(Collection<InetSocketAddress> peers) {
    if (closed) {
      return;
    }
    Set<InetSocketAddress> wanted = new HashSet<>(peers);
    for (InetSocketAddress gone : new ArrayList<>(watched.keySet())) {
      if (!wanted.contains(gone)) {
        watched.remove(gone).stop();
      }
    }
    for (InetSocketAddress peer : wanted) {
      if (!watched.containsKey(peer)) {
        Beater beater = new Beater(peer);
        try {
          launcher.launch("kabar-peer-beat-" + peer.getHostString() + ":" + peer.getPort(), beater);
          watched.put(peer, beater);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "no thread to beat to " + peer + ": next time", e);
        }
      }
    }
  }

  /**
   * Sends a frame over the beat link to the peer that proved this node name: its reader at the peer
   * hands beats over at once and queues claims on their own lane, so the frame never waits behind
   * copies.
   *
   * @throws IOException if no beat link to that node is open
   */
  public void send(String node, PeerFrame frame) throws IOException {
    for (Beater beater : watched.values()) {
      PeerLink link = beater.link;
      if (node.equals(beater.node) && link != null && link.isOpen()) {
        link.send(frame);
        return;
      }
    }
    throw new IOException("no beat link to " + node);
  }

  /** What is known of every watched peer, and of every node heard from that is not watched. */
  public List<PeerLiveness> view() {
    long now = nanos.getAsLong();
    List<PeerLiveness> view = new ArrayList<>();
    Set<String> named = new HashSet<>();
    for (Beater beater : watched.values()) {
      String node = beater.node;
      if (node != null) {
        named.add(node);
      }
      Heard last = node == null ? null : heard.get(node);
      view.add(
          new PeerLiveness(
              beater.peer,
              node,
              beater.isUp(),
              beater.refused,
              last == null ? 0 : last.incarnation(),
              silence(last, now)));
    }
    heard.forEach(
        (node, last) -> {
          if (!named.contains(node)) {
            view.add(
                new PeerLiveness(null, node, false, false, last.incarnation(), silence(last, now)));
          }
        });
    return view;
  }

  private static long silence(Heard last, long now) {
    return last == null ? Long.MAX_VALUE : TimeUnit.NANOSECONDS.toMillis(now - last.atNanos());
  }

  @Override
  public synchronized void close() {
    closed = true;
    watched.values().forEach(Beater::stop);
    watched.clear();
  }

  /** Opens and keeps the beat link to one peer, beating on it once a second. */
  private final class Beater implements Runnable {
    final InetSocketAddress peer;
    volatile String node;
    volatile boolean refused;
    volatile PeerLink link;
    private volatile boolean stopped;
    private volatile Thread thread;

    Beater(InetSocketAddress peer) {
      this.peer = peer;
    }

    boolean isUp() {
      PeerLink current = link;
      return current != null && current.isOpen();
    }

    @Override
    public void run() {
      thread = Thread.currentThread();
      long retry = FIRST_RETRY_MILLIS;
      long sequence = 0;
      while (!stopped) {
        if (!isUp()) {
          try {
            link = dialler.open(peer);
            node = link.peerNode();
            refused = false;
            retry = FIRST_RETRY_MILLIS;
            LOG.fine(() -> "beating to " + node + " at " + peer);
          } catch (ConnectException nothingListens) {
            refused = true;
            pause(retry);
            retry = Math.min(MOST_RETRY_MILLIS, retry * 2);
            continue;
          } catch (IOException | RuntimeException e) {
            refused = false;
            LOG.log(Level.FINE, "no beat link to " + peer, e);
            pause(retry);
            retry = Math.min(MOST_RETRY_MILLIS, retry * 2);
            continue;
          }
        }
        long due = nanos.getAsLong() + TimeUnit.MILLISECONDS.toNanos(BEAT_MILLIS);
        try {
          link.send(new Beat(incarnation, ++sequence));
        } catch (IOException e) {
          LOG.log(Level.FINE, "beat to " + peer + " failed: opening the link again", e);
          link.close();
          continue;
        }
        while (!stopped && nanos.getAsLong() < due) {
          LockSupport.parkNanos(this, due - nanos.getAsLong());
        }
      }
      PeerLink last = link;
      if (last != null) {
        last.close();
      }
    }

    private void pause(long millis) {
      long due = nanos.getAsLong() + TimeUnit.MILLISECONDS.toNanos(millis);
      while (!stopped && nanos.getAsLong() < due) {
        LockSupport.parkNanos(this, due - nanos.getAsLong());
      }
    }

    void stop() {
      stopped = true;
      Thread running = thread;
      if (running != null) {
        LockSupport.unpark(running);
      }
      PeerLink current = link;
      if (current != null) {
        current.close();
      }
    }
  }
}
