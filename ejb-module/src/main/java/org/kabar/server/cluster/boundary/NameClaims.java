package org.kabar.server.cluster.boundary;

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
import java.util.logging.Logger;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.protocol.peer.Claim;
import org.kabar.protocol.peer.PeerKey;
import org.kabar.server.accounts.boundary.Accounts;
import org.kabar.server.cluster.entity.ServerEntry;
import org.kabar.server.node.NodeSettings;

/**
 * Makes sure no username exists twice in the deployment (seed S3.2). Before registering a name, a
 * server reserves it locally and asks every active server to reserve it too; it registers only if
 * all agree, and only if those it asked and itself are most of the servers in its list (more than
 * half, counting those it takes for dead): on the smaller side of a partition, or with most servers
 * down, a registration is refused ({@link ErrorCode#NO_MAJORITY}), so the two sides of a cut cannot
 * both register one name. When two servers claim the same name at once, each sees the other's claim
 * while holding its own, and every server lets the claim with the smaller id win: exactly one
 * registers.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class NameClaims {

  private static final Logger LOG = Logger.getLogger(NameClaims.class.getName());

  private static final long RESERVE_MILLIS = 30_000;
  private static final long ANSWER_MILLIS = 3_000;

  private final Map<String, Reservation> reserved = new ConcurrentHashMap<>();
  private final Map<String, Tally> tallies = new ConcurrentHashMap<>();

  @EJB Accounts accounts;

  @EJB PeerBroadcast peers;

  @EJB ServerDirectory directory;

  @Inject NodeSettings settings;

  private record Reservation(String claimId, long until, boolean own) {
    boolean live() {
      return System.currentTimeMillis() < until;
    }
  }

  /** The answers to one claim. */
  private static final class Tally {
    private int yes;
    private boolean no;

    synchronized void add(boolean granted) {
      if (granted) {
        yes++;
      } else {
        no = true;
      }
      notifyAll();
    }

    /** True if all agreed in time, false if one refused; null if some did not answer in time. */
    synchronized Boolean await(int expected, long millis) throws InterruptedException {
      long deadline = System.currentTimeMillis() + millis;
      while (!no && yes < expected) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          return null;
        }
        wait(left);
      }
      return !no;
    }
  }

  /**
   * Reserves a name on this server and every active one.
   *
   * @return empty if this server may register the name now, else why not
   */
  public Optional<ErrorCode> claimEverywhere(String name) {
    String claimId = PeerKey.nonce();
    if (!reserveOwn(name, claimId)) {
      return Optional.of(ErrorCode.NAME_TAKEN);
    }
    int listed = (int) directory.all().stream().filter(s -> !isSelf(s)).count();
    int alive =
        (int)
            directory.activePeers().stream()
                .filter(p -> !settings.isSelf(p.address(), p.port()))
                .count();
    // servers sharing one database cannot both store a name: its unique index decides there
    boolean ownDatabases = settings.embeddedDatabase();
    if (ownDatabases && !majority(1 + alive, 1 + listed)) {
      reserved.remove(name);
      LOG.info(
          () ->
              "registration of '"
                  + name
                  + "' refused: "
                  + (1 + alive)
                  + " of "
                  + (1 + listed)
                  + " servers answer, most are needed");
      return Optional.of(ErrorCode.NO_MAJORITY);
    }
    Tally tally = new Tally();
    tallies.put(claimId, tally);
    try {
      int asked = peers.toActivePeersPromptly(new Claim(claimId, name));
      if (ownDatabases && !majority(1 + asked, 1 + listed)) {
        Reservation mine = reserved.get(name);
        if (mine != null && mine.claimId().equals(claimId)) {
          reserved.remove(name, mine);
        }
        return Optional.of(ErrorCode.NO_MAJORITY); // some became unreachable meanwhile
      }
      Boolean agreed = asked == 0 ? Boolean.TRUE : tally.await(asked, ANSWER_MILLIS);
      Reservation mine = reserved.get(name);
      boolean stillMine = mine != null && mine.claimId().equals(claimId);
      if (Boolean.TRUE.equals(agreed) && stillMine) {
        return Optional.empty();
      }
      if (stillMine) {
        reserved.remove(name, mine);
      }
      return Optional.of(agreed == null ? ErrorCode.SERVER_ERROR : ErrorCode.NAME_TAKEN);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of(ErrorCode.SERVER_ERROR);
    } finally {
      tallies.remove(claimId);
    }
  }

  /**
   * Whether {@code granting} servers of {@code listed} (this one included in both) are most of
   * them: more than half. Two servers need both; three need two; four need three.
   */
  static boolean majority(int granting, int listed) {
    return granting > listed / 2;
  }

  private boolean isSelf(ServerEntry server) {
    return settings.isSelf(server.address(), server.port());
  }

  /** Forgets a reservation once the name is registered. */
  public void release(String name) {
    reserved.remove(name);
  }

  /**
   * A peer claims a name: reserve it for that claim unless it is taken or a smaller claim holds.
   */
  public boolean onClaim(String claimId, String name) {
    return !accounts.exists(name) && reserveForPeer(name, claimId);
  }

  /** A peer answered one of this server's claims. */
  public void onAnswer(String claimId, boolean granted) {
    Tally tally = tallies.get(claimId);
    if (tally != null) {
      tally.add(granted);
    }
  }

  /** This server's own claim: only while nothing else holds the name, not even a grant. */
  private boolean reserveOwn(String name, String claimId) {
    synchronized (reserved) {
      Reservation current = reserved.get(name);
      if (current != null && current.live()) {
        return false;
      }
      reserved.put(name, new Reservation(claimId, until(), true));
      return true;
    }
  }

  /**
   * A peer's claim: granted unless a live claim with a smaller id holds the name, whether this
   * server's own or one it granted before; the smaller claim wins on every server alike.
   */
  private boolean reserveForPeer(String name, String claimId) {
    synchronized (reserved) {
      Reservation current = reserved.get(name);
      boolean held = current != null && current.live() && !current.claimId().equals(claimId);
      if (held && claimId.compareTo(current.claimId()) > 0) {
        return false;
      }
      reserved.put(name, new Reservation(claimId, until(), false));
      return true;
    }
  }

  private static long until() {
    return System.currentTimeMillis() + RESERVE_MILLIS;
  }
}
