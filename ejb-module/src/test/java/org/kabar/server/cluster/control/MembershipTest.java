package org.kabar.server.cluster.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.kabar.adapter.api.PeerLiveness;
import org.kabar.server.cluster.control.Membership.Change;
import org.kabar.server.cluster.control.Membership.State;

/** The states the beats give a server, and the transitions the check acts on. */
class MembershipTest {

  private static final long DEAD = 5_000;
  private static final InetSocketAddress B = new InetSocketAddress("127.0.0.2", 5000);

  private final Membership membership = new Membership();

  private static PeerLiveness beats(long incarnation, long silent) {
    return new PeerLiveness(B, "b", true, false, incarnation, silent);
  }

  private static PeerLiveness refused(long incarnation, long silent) {
    return new PeerLiveness(B, "b", false, true, incarnation, silent);
  }

  @Test
  void aServerIsAliveSuspectedAndDeadAsItsBeatsStop() {
    assertEquals(State.UNKNOWN, Membership.judge(null, DEAD));
    assertEquals(
        State.UNKNOWN,
        Membership.judge(new PeerLiveness(B, null, false, false, 0, Long.MAX_VALUE), DEAD),
        "never heard, not refused: it may not have started yet");
    assertEquals(State.ALIVE, Membership.judge(beats(7, 900), DEAD));
    assertEquals(State.SUSPECT, Membership.judge(beats(7, 3_100), DEAD));
    assertEquals(State.DEAD, Membership.judge(beats(7, 5_000), DEAD));
    assertEquals(
        State.DEAD, Membership.judge(refused(7, 1_600), DEAD), "its port refuses: not running");
    assertEquals(
        State.ALIVE,
        Membership.judge(refused(7, 500), DEAD),
        "a refusal while its beats still arrive (a restart under way) is not death yet");
  }

  @Test
  void onlyTransitionsAreReported() {
    Change up = membership.update("b", beats(7, 100), DEAD);
    assertNotNull(up);
    assertTrue(up.cameUp(), "first heard: up");
    assertNull(membership.update("b", beats(7, 900), DEAD), "still alive: nothing to do");
    Change suspected = membership.update("b", beats(7, 3_500), DEAD);
    assertEquals(State.SUSPECT, suspected.to());
    assertFalse(suspected.cameUp() || suspected.wentDown(), "a suspicion does nothing yet");
    Change refuted = membership.update("b", beats(7, 200), DEAD);
    assertEquals(State.ALIVE, refuted.to(), "the next beat refutes it");
    assertFalse(refuted.cameUp(), "no new announcement for a pause");
    Change down = membership.update("b", beats(7, 6_000), DEAD);
    assertTrue(down.wentDown());
    assertNull(membership.update("b", refused(7, 9_000), DEAD), "dead stays dead");
    Change back = membership.update("b", beats(8, 100), DEAD);
    assertTrue(back.cameUp(), "back under a new incarnation");
  }

  @Test
  void aRestartThatWasNeverTakenForDeathIsStillAnnouncedAgain() {
    membership.update("b", beats(7, 100), DEAD);
    Change restarted = membership.update("b", beats(9, 300), DEAD);
    assertNotNull(restarted);
    assertTrue(restarted.restarted());
    assertTrue(restarted.cameUp());
    assertNull(membership.update("b", beats(9, 800), DEAD));
  }

  @Test
  void aServerNeverHeardIsNotTakenForDeadThatCameDown() {
    Change refused = membership.update("b", refused(0, Long.MAX_VALUE), DEAD);
    assertEquals(State.DEAD, refused.to());
    assertFalse(refused.wentDown(), "nobody to take over from a server never heard");
  }
}
