package org.kabar.server.cluster.boundary;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.protocol.peer.AskClaim;
import org.kabar.protocol.peer.Claim;
import org.kabar.protocol.peer.PeerFrame;
import org.kabar.protocol.peer.PeerKey;
import org.kabar.protocol.peer.Unclaim;
import org.kabar.server.accounts.boundary.Accounts;
import org.kabar.server.cluster.control.NameGrants;
import org.kabar.server.cluster.entity.NameGrant;
import org.kabar.server.cluster.entity.ServerEntry;
import org.kabar.server.node.NodeSettings;

/**
 * Makes sure no username is registered twice in the deployment (seed S3.2), also across a partition
 * and when servers restart.
 *
 * <p>The rule: a server registers a name only with grants from most of the servers in its list
 * (more than half, counting those it takes for dead; its own grant counts). Each server grants a
 * name to at most one claim at a time, and writes the grant to disk before it answers. Any two
 * majorities share a server, and that server granted the name to one claim only, so two claims can
 * never both win. A grant lasts until the account arrives, or the claimant gives the claim up
 * ({@code UNCLAIM}), or, asked after a while ({@code ASKCLAIM}), says how it ended: it never
 * expires by time alone, because a claim that won may still be on its way to this server. A claim
 * that does not win is given up at once, and the claimant tries again a few times after a random
 * pause, so of two people registering one name at the same instant, one gets it. On the smaller
 * side of a partition a registration is refused ({@link ErrorCode#NO_MAJORITY}).
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class NameClaims {

  private static final Logger LOG = Logger.getLogger(NameClaims.class.getName());

  /** How long a claimant waits for the answers to one attempt. */
  private static final long ANSWER_MILLIS = 2_000;

  /** How long all attempts of one registration may take together. */
  private static final long CLAIM_MILLIS = 4_000;

  /** How long a grant is held before its claimant is asked how the claim ended. */
  static final Duration ASK_AFTER = Duration.ofSeconds(20);

  private final Map<String, Tally> tallies = new ConcurrentHashMap<>();

  /** Grants of one name are written one at a time here: no clash on the table's key to log. */
  private final Object[] grantLocks = new Object[64];

  {
    for (int i = 0; i < grantLocks.length; i++) {
      grantLocks[i] = new Object();
    }
  }

  @EJB Accounts accounts;

  @EJB PeerBroadcast peers;

  @EJB ServerDirectory directory;

  @EJB NameGrants grants;

  @Inject NodeSettings settings;

  /** The answers to one attempt. */
  private static final class Tally {
    private int yes;
    private int answered;

    synchronized void add(boolean granted) {
      answered++;
      if (granted) {
        yes++;
      }
      notifyAll();
    }

    /**
     * Waits until {@code needed} servers granted, all {@code asked} answered, or time ran out.
     *
     * @return how many granted
     */
    synchronized int await(int needed, int asked, long millis) throws InterruptedException {
      long deadline = System.currentTimeMillis() + millis;
      while (yes < needed && answered < asked) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          break;
        }
        wait(left);
      }
      return yes;
    }

    synchronized boolean allAnswered(int asked) {
      return answered >= asked;
    }
  }

  /**
   * Claims a name on most of the servers and, once they agreed, makes the account in the same
   * transaction that closes this server's claim, so a claim given up meanwhile registers nothing.
   *
   * @param create makes the account; empty on success, else why not
   * @return empty if the name is now registered here, else why not
   */
  public Optional<ErrorCode> register(String name, Supplier<Optional<ErrorCode>> create) {
    long deadline = System.currentTimeMillis() + CLAIM_MILLIS;
    while (true) {
      String claimId = PeerKey.nonce();
      Attempt outcome = attempt(name, claimId);
      if (outcome == Attempt.WON) {
        Optional<ErrorCode> made;
        try {
          made = grants.registerUnder(name, claimId, create);
        } catch (NameGrants.NotRegistered refused) {
          made = Optional.of(refused.code());
        } catch (EJBException failed) {
          withdraw(name, claimId);
          throw failed;
        }
        if (made.isPresent()) {
          withdraw(name, claimId); // not registered: the grants go
        }
        return made;
      }
      withdraw(name, claimId);
      if (outcome == Attempt.TAKEN || accounts.exists(name)) {
        return Optional.of(ErrorCode.NAME_TAKEN);
      }
      if (outcome == Attempt.TOO_FEW) {
        return Optional.of(ErrorCode.NO_MAJORITY); // asking again would find no more servers
      }
      long pause = ThreadLocalRandom.current().nextLong(30, 400);
      if (System.currentTimeMillis() + pause + ANSWER_MILLIS > deadline) {
        return Optional.of(ErrorCode.NAME_TAKEN); // another claim kept holding it
      }
      try {
        Thread.sleep(pause); // two claimants that split the grants: one of them wins next time
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.of(ErrorCode.SERVER_ERROR);
      }
    }
  }

  private enum Attempt {
    /** Most servers granted the name to this claim. */
    WON,
    /** The name is registered already. */
    TAKEN,
    /** Other claims hold the name here or hold grants elsewhere: try again. */
    SPLIT,
    /** Too few servers answer. */
    TOO_FEW
  }

  private Attempt attempt(String name, String claimId) {
    if (!grant(name, claimId, settings.nodeName())) {
      // another claim holds the name here: it registers (then the account arrives) or is given up
      return accounts.exists(name) ? Attempt.TAKEN : Attempt.SPLIT;
    }
    if (!settings.embeddedDatabase()) {
      // servers sharing one database share its grants and its unique index on the name: this
      // server's own grant excludes every other claim of the name
      return Attempt.WON;
    }
    int listed = 1 + (int) directory.all().stream().filter(s -> !isSelf(s)).count();
    int needed = listed / 2 + 1; // the fewest grants that are a majority of the list
    Tally tally = new Tally();
    tallies.put(claimId, tally);
    try {
      int asked = peers.toActivePeersPromptly(new Claim(claimId, name));
      if (!majority(1 + asked, listed)) {
        LOG.info(
            () ->
                "registration of '"
                    + name
                    + "' refused: "
                    + (1 + asked)
                    + " of "
                    + listed
                    + " servers answer, "
                    + needed
                    + " are needed");
        return Attempt.TOO_FEW;
      }
      int yes = 1 + tally.await(needed - 1, asked, ANSWER_MILLIS);
      if (majority(yes, listed)) {
        return Attempt.WON;
      }
      return tally.allAnswered(asked) ? Attempt.SPLIT : Attempt.TOO_FEW;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Attempt.TOO_FEW;
    } finally {
      tallies.remove(claimId);
    }
  }

  /**
   * Gives up a claim this server decided not to register under, here and everywhere it may have
   * been granted.
   */
  private void withdraw(String name, String claimId) {
    try {
      grants.withdraw(name, claimId);
    } catch (EJBException busy) {
      LOG.warning(() -> "claim of '" + name + "' not given up here now: asked again later");
    }
    if (settings.embeddedDatabase()) {
      peers.toActivePeersPromptly(new Unclaim(claimId, name));
    }
  }

  /**
   * Gives up one of this server's own claims left behind (a restart in its middle): only if its
   * grant row is still here, which also means it never registered and never will, since a
   * registration removes that row in its own transaction.
   */
  private void abandon(String name, String claimId) {
    boolean removed;
    try {
      removed = grants.withdraw(name, claimId);
    } catch (EJBException busy) {
      return; // again at the next look
    }
    if (removed && settings.embeddedDatabase()) {
      LOG.info(() -> "claim of '" + name + "' left unfinished here: given up");
      peers.toActivePeersPromptly(new Unclaim(claimId, name));
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

  /** The account of the name arrived: no grant of it is needed any more. */
  public void release(String name) {
    try {
      grants.forget(name);
    } catch (EJBException busy) {
      LOG.fine(() -> "grant of '" + name + "' kept for now: " + busy.getMessage());
    }
  }

  /**
   * A peer claims a name: granted, on disk, unless the name is registered or another claim holds it
   * here.
   */
  public boolean onClaim(String claimId, String name, String claimant) {
    return !accounts.exists(name) && grant(name, claimId, claimant);
  }

  private boolean grant(String name, String claimId, String claimant) {
    synchronized (grantLocks[Math.floorMod(name.hashCode(), grantLocks.length)]) {
      try {
        return grants.grant(name, claimId, claimant);
      } catch (EJBException twoAtOnce) {
        return false; // servers sharing one database: another one wrote the grant first
      }
    }
  }

  /** A peer answered one of this server's claims. */
  public void onAnswer(String claimId, boolean granted) {
    Tally tally = tallies.get(claimId);
    if (tally != null) {
      tally.add(granted);
    }
  }

  /** A claimant gave a claim up. */
  public void onUnclaim(String claimId, String name) {
    try {
      grants.withdraw(name, claimId);
    } catch (EJBException busy) {
      LOG.fine(() -> "grant of '" + name + "' kept for now: " + busy.getMessage());
    }
  }

  /**
   * A server that granted one of this server's claims asks how it ended.
   *
   * @return the answer to send back: the account if the name is registered here, else an {@code
   *     UNCLAIM} once this server made sure it never registers under that claim; empty while the
   *     claim is still under way
   */
  public Optional<PeerFrame> onAsk(String claimId, String name) {
    if (tallies.containsKey(claimId)) {
      return Optional.empty();
    }
    Optional<PeerFrame> account =
        accounts.account(name).map(UserReplication::copyOf).map(PeerFrame.class::cast);
    if (account.isPresent()) {
      return account;
    }
    try {
      grants.withdraw(name, claimId); // from now on this claim cannot register
    } catch (EJBException busy) {
      return Optional.empty();
    }
    return accounts.exists(name)
        ? accounts.account(name).map(UserReplication::copyOf).map(PeerFrame.class::cast)
        : Optional.of(new Unclaim(claimId, name));
  }

  /**
   * Looks at grants held a while: this server's own claims that were left behind (a restart in the
   * middle of one) are given up; for another server's claim, the grant goes if the account is here,
   * else the claimant is asked how it ended. A grant whose claimant never answers stays, so the
   * name stays free of a second owner; the console lists it.
   */
  public void sweep() {
    List<NameGrant> old = grants.grantedBefore(Instant.now().minus(ASK_AFTER));
    for (NameGrant grant : old) {
      if (tallies.containsKey(grant.claimId())) {
        continue;
      }
      if (accounts.exists(grant.name())) {
        release(grant.name());
      } else if (grant.claimant().equals(settings.nodeName())) {
        abandon(grant.name(), grant.claimId());
      } else if (!peers.sendControl(grant.claimant(), new AskClaim(grant.claimId(), grant.name()))
          && !peers.toNode(
              grant.claimant(), List.of(new AskClaim(grant.claimId(), grant.name())), List.of())) {
        LOG.fine(() -> "claimant " + grant.claimant() + " of '" + grant.name() + "' unreachable");
      }
    }
  }
}
