package org.kabar.server.cluster.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kabar.protocol.auth.Scram;
import org.kabar.protocol.peer.MessageRecord;
import org.kabar.protocol.peer.SessionRecord;
import org.kabar.server.ArquillianDeployments;
import org.kabar.server.accounts.boundary.Accounts;
import org.kabar.server.messaging.boundary.Mailbox;
import org.kabar.server.node.IdClock;
import org.kabar.server.presence.boundary.Authentication;
import org.kabar.server.presence.boundary.Caller;
import org.kabar.server.presence.boundary.LoginResult;
import org.kabar.server.presence.boundary.Sessions;

/**
 * How copies from other servers merge into the tables, against real JPA on Derby: in any order, any
 * number of times, a message never goes back to an earlier state and the newest Connected row wins.
 */
@ExtendWith(ArquillianExtension.class)
class CopiesMergeIT {

  private static final String PASSWORD = "password-1";

  @Deployment
  static WebArchive deployment() {
    return ArquillianDeployments.node();
  }

  @Inject Mailbox mailbox;

  @Inject Sessions sessions;

  @Inject Accounts accounts;

  @Inject IdClock clock;

  @BeforeEach
  void users() {
    for (String user : List.of("merge-a", "merge-b")) {
      accounts.register(user, Scram.keysFor(PASSWORD, Scram.MIN_ITERATIONS));
    }
  }

  @Test
  void aDeletedMessageIsNeverBroughtBackByAnOlderCopy() {
    long id = clock.nextId();
    MessageRecord fresh = message(id, 1, 0, "hello");
    assertEquals(Mailbox.Merge.NEW_UNDELIVERED, mailbox.mergeCopy(fresh));
    assertEquals(Mailbox.Merge.SAME, mailbox.mergeCopy(fresh), "a repeat changes nothing");
    assertEquals(List.of(id), mailbox.offlineFor("merge-b"));

    MessageRecord deleted = message(id, 5, MessageRecord.DELIVERED | MessageRecord.DELETED, "");
    assertEquals(Mailbox.Merge.CHANGED, mailbox.mergeCopy(deleted));
    assertTrue(mailbox.offlineFor("merge-b").isEmpty());
    assertFalse(mailbox.delete("merge-b", id), "gone from the inbox");

    assertEquals(
        Mailbox.Merge.OURS_AHEAD,
        mailbox.mergeCopy(fresh),
        "an old copy arriving late is answered with the newer state");
    assertTrue(mailbox.offlineFor("merge-b").isEmpty(), "and does not bring it back");
    MessageRecord here = mailbox.copies(List.of(id)).get(0);
    assertTrue(here.has(MessageRecord.DELETED));
    assertEquals("", here.text(), "a tombstone keeps no text");
  }

  @Test
  void flagsFromTwoServersAddUp() {
    long id = clock.nextId();
    mailbox.mergeCopy(message(id, 1, MessageRecord.READ, "read at one server"));
    assertEquals(
        Mailbox.Merge.OURS_AHEAD, mailbox.mergeCopy(message(id, 2, MessageRecord.DELIVERED, "x")));
    MessageRecord merged = mailbox.copies(List.of(id)).get(0);
    assertTrue(merged.has(MessageRecord.READ) && merged.has(MessageRecord.DELIVERED));
  }

  @Test
  void aBatchOfCopiesMergesLikeEachAloneWhateverItsOrder() {
    long held = clock.nextId();
    mailbox.mergeCopy(message(held, 1, MessageRecord.READ, "read at one server"));
    long fresh = clock.nextId();
    long done = clock.nextId();
    long twice = clock.nextId();
    MessageRecord stray =
        new MessageRecord(clock.nextId(), 1, 0, 1, "merge-a", "nobody-here", null, 0, 0, "lost?");
    List<MessageRecord> batch =
        List.of(
            message(twice, 1, 0, "twice in one batch"),
            message(done, 3, MessageRecord.DELIVERED | MessageRecord.DELETED, ""),
            message(held, 2, MessageRecord.DELIVERED, "read at one server"),
            stray,
            message(fresh, 1, 0, "new here"),
            message(twice, 4, MessageRecord.DELIVERED, "twice in one batch"));
    assertEquals(
        List.of(
            Mailbox.Merge.NEW_UNDELIVERED,
            Mailbox.Merge.CHANGED,
            Mailbox.Merge.OURS_AHEAD,
            Mailbox.Merge.UNKNOWN_USER,
            Mailbox.Merge.NEW_UNDELIVERED,
            Mailbox.Merge.CHANGED),
        mailbox.mergeCopies(batch),
        "one result per copy, in the order given");
    List<Long> waiting = mailbox.offlineFor("merge-b");
    assertTrue(waiting.contains(fresh), "the new one waits");
    assertFalse(
        waiting.contains(held) || waiting.contains(done) || waiting.contains(twice),
        "the delivered ones do not: " + waiting);
    MessageRecord both = mailbox.copies(List.of(held)).get(0);
    assertTrue(both.has(MessageRecord.READ) && both.has(MessageRecord.DELIVERED), "flags add up");
    MessageRecord tombstone = mailbox.copies(List.of(done)).get(0);
    assertTrue(tombstone.has(MessageRecord.DELETED));
    assertEquals("", tombstone.text(), "a tombstone keeps no text");
    assertEquals(4, mailbox.copies(List.of(twice)).get(0).revision(), "the later revision");
    assertEquals(
        List.of(Mailbox.Merge.SAME, Mailbox.Merge.OURS_AHEAD),
        mailbox.mergeCopies(List.of(message(fresh, 1, 0, "new here"), message(twice, 1, 0, "x"))),
        "a repeat changes nothing, an older copy is answered");
    assertTrue(mailbox.copies(List.of(twice)).get(0).has(MessageRecord.DELIVERED), "never lost");
  }

  @Test
  void aRequestStoredHereAndElsewhereIsShownOnce() {
    Caller sender = sessions.login("merge-a", new InetSocketAddress("127.0.0.9", 41002)).caller();
    long mine = mailbox.send(sender, 77, "merge-b", "asked twice").firstId();
    long elsewhere = clock.nextId(); // the same request, stored first at a server that died
    MessageRecord copy =
        new MessageRecord(
            elsewhere, 1, 0, 1, "merge-a", "merge-b", null, sender.sessionId(), 77, "asked twice");
    assertEquals(List.of(Mailbox.Merge.CHANGED), mailbox.mergeCopies(List.of(copy)));
    List<Long> waiting = mailbox.offlineFor("merge-b");
    assertTrue(waiting.contains(mine), "the one held here is shown");
    assertFalse(waiting.contains(elsewhere), "the other is kept as a tombstone, never pushed");
    assertTrue(mailbox.copies(List.of(elsewhere)).get(0).has(MessageRecord.DELETED));
  }

  @Test
  void aCopyForAnUnknownUserIsDroppedUntilTheAccountArrives() {
    MessageRecord stray =
        new MessageRecord(clock.nextId(), 1, 0, 1, "merge-a", "nobody-here", null, 0, 0, "lost?");
    assertEquals(Mailbox.Merge.UNKNOWN_USER, mailbox.mergeCopy(stray));
  }

  @Test
  void theNewestConnectedRowWinsWhateverTheOrderOfArrival() {
    LoginResult login = sessions.login("merge-a", new InetSocketAddress("127.0.0.9", 41001));
    Caller caller = login.caller();
    SessionRecord here = sessions.copies(List.of(caller.sessionId())).get(0);

    SessionRecord takenOver =
        new SessionRecord(
            here.id(),
            here.revision() + 10,
            "merge-a",
            "other-node",
            true,
            here.loginAtMillis(),
            "127.0.0.9",
            41001,
            here.tokenHash());
    SessionRecord stale =
        new SessionRecord(
            here.id(),
            here.revision() + 5,
            "merge-a",
            "third-node",
            false,
            here.loginAtMillis(),
            "127.0.0.9",
            41001,
            here.tokenHash());
    assertEquals(Sessions.Merge.TAKEN_AWAY, sessions.mergeCopy(takenOver));
    assertTrue(sessions.sessionHere("merge-a").isEmpty(), "no longer served here");
    assertEquals(Sessions.Merge.OURS_NEWER, sessions.mergeCopy(stale), "older loses");
    assertEquals(
        List.of("merge-a"),
        sessions.onlineUsers().stream().filter("merge-a"::equals).toList(),
        "still online, at the other node");

    // the client fails over back here with its token: this server takes the session again;
    // from another address, its pushes stay where they were until that address is checked
    Optional<Authentication> again =
        sessions.authenticate(login.token(), new InetSocketAddress("127.0.0.9", 41002));
    assertTrue(again.orElseThrow().takenOver());
    assertFalse(again.orElseThrow().fromItsAddress(), "not yet its address");
    assertEquals(
        new InetSocketAddress("127.0.0.9", 41001),
        sessions.sessionHere("merge-a").orElseThrow().address());
    assertTrue(
        sessions.copies(List.of(caller.sessionId())).get(0).revision() > takenOver.revision(),
        "the takeover is newer than the copy it replaces");
  }

  private static MessageRecord message(long id, long revision, int flags, String text) {
    return new MessageRecord(
        id, revision, flags, 1_795_000_000_000L, "merge-a", "merge-b", null, 0, 0, text);
  }
}
