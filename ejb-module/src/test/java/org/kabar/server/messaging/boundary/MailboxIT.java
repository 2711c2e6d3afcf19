package org.kabar.server.messaging.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kabar.protocol.auth.Scram;
import org.kabar.protocol.client.ClientReply.InboxEntry;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.protocol.peer.MessageRecord;
import org.kabar.server.ArquillianDeployments;
import org.kabar.server.accounts.boundary.Accounts;
import org.kabar.server.node.IdClock;
import org.kabar.server.presence.boundary.Authentication;
import org.kabar.server.presence.boundary.Caller;
import org.kabar.server.presence.boundary.LoginResult;
import org.kabar.server.presence.boundary.Sessions;

/** The mailbox and sessions against real JPA on Derby in Payara Micro. */
@ExtendWith(ArquillianExtension.class)
class MailboxIT {

  private static final String PASSWORD = "password-1";

  @Deployment
  static WebArchive deployment() {
    return ArquillianDeployments.node();
  }

  @Inject Mailbox mailbox;

  @Inject Sessions sessions;

  @Inject Accounts accounts;

  @Inject MailboxWrites writes;

  @BeforeEach
  void users() {
    for (String user : List.of("wati", "yusuf", "zaki")) {
      accounts.register(user, Scram.keysFor(PASSWORD, Scram.MIN_ITERATIONS));
    }
  }

  @Test
  void aRepeatedRequestStoresItsMessageOnce() {
    Caller wati = login("wati", 40001);
    Mailbox.Stored first = mailbox.send(wati, 7, "yusuf", "only once");
    Mailbox.Stored repeat = mailbox.send(wati, 7, "yusuf", "only once");
    assertEquals(first.ids(), repeat.ids());
    assertEquals(
        1, mailbox.inbox("yusuf", 0).stream().filter(e -> e.id() == first.firstId()).count());
  }

  @Test
  void offlineMessagesAreHandedOverInTheOrderSentUntilAcknowledged() {
    Caller wati = login("wati", 40002);
    long a = mailbox.send(wati, 1, "zaki", "first").firstId();
    long b = mailbox.send(wati, 2, "zaki", "second").firstId();
    assertEquals(List.of(a, b), mailbox.offlineFor("zaki"));
    assertTrue(mailbox.acknowledge("zaki", a));
    assertEquals(List.of(b), mailbox.offlineFor("zaki"));
    assertFalse(mailbox.acknowledge("wati", b), "only the recipient acknowledges");
  }

  @Test
  void aMessageToASomeoneUnknownIsRefused() {
    Caller wati = login("wati", 40003);
    assertEquals(ErrorCode.NO_SUCH_USER, mailbox.send(wati, 3, "ghost", "hello?").refusal());
  }

  @Test
  void aMessageToAllIsNeverOfflineMail() {
    Caller wati = login("wati", 40004);
    Caller yusuf = login("yusuf", 40005);
    Mailbox.Stored toAll = mailbox.send(wati, 4, "all", "hello all");
    assertTrue(toAll.recipients().contains("yusuf"));
    assertFalse(toAll.recipients().contains("wati"), "not to the sender");
    assertFalse(mailbox.offlineFor("yusuf").contains(toAll.firstId()));
    sessions.logout(yusuf.sessionId());
  }

  @Test
  void readMarksReadAndDeleteRemovesOnlyFromTheOwner() {
    Caller wati = login("wati", 40006);
    long id = mailbox.send(wati, 5, "yusuf", "read me").firstId();
    assertFalse(mailbox.delete("wati", id), "not wati's message");
    assertEquals("read me", mailbox.read("yusuf", id).orElseThrow().text());
    InboxEntry entry =
        mailbox.inbox("yusuf", id - 1).stream().filter(e -> e.id() == id).findFirst().orElseThrow();
    assertTrue(entry.read());
    assertTrue(mailbox.delete("yusuf", id));
    assertTrue(mailbox.read("yusuf", id).isEmpty());
  }

  @Test
  void aBatchStoresEachSendAsAloneAndFindsItsRetransmissions() {
    Caller wati = login("wati", 40009);
    long before = mailbox.send(wati, 20, "yusuf", "sent alone first").firstId();
    int zakiHad = mailbox.offlineFor("zaki").size();
    List<Mailbox.Stored> batch =
        mailbox.sendAll(
            List.of(
                new Mailbox.SendRequest(wati, 21, "yusuf", "one"),
                new Mailbox.SendRequest(wati, 20, "yusuf", "sent alone first"),
                new Mailbox.SendRequest(wati, 22, "ghost", "to no one"),
                new Mailbox.SendRequest(wati, 23, "zaki", "two"),
                new Mailbox.SendRequest(wati, 24, "zaki", "twice in one batch"),
                new Mailbox.SendRequest(wati, 24, "zaki", "twice in one batch")));
    assertEquals(6, batch.size());
    assertEquals(
        batch.get(4).firstId(),
        batch.get(5).firstId(),
        "a retransmission in the same batch finds the row its first copy stored there");
    assertTrue(batch.get(5).fresh().isEmpty(), "and pushes nothing again");
    assertEquals(
        zakiHad + 2, mailbox.offlineFor("zaki").size(), "two messages for zaki, each stored once");
    assertEquals(List.of("yusuf"), batch.get(0).recipients());
    assertEquals(before, batch.get(1).firstId(), "a retransmission in a batch stores nothing");
    assertEquals(ErrorCode.NO_SUCH_USER, batch.get(2).refusal(), "refused alone");
    assertTrue(mailbox.offlineFor("zaki").contains(batch.get(3).firstId()), "stored beside it");
    assertEquals(
        List.of(true, false),
        mailbox.acknowledgeAll(
            List.of(
                new Mailbox.Acknowledgement("yusuf", batch.get(0).firstId()),
                new Mailbox.Acknowledgement("yusuf", batch.get(3).firstId()))),
        "only the recipient acknowledges, in a batch too");
    assertFalse(mailbox.offlineFor("yusuf").contains(batch.get(0).firstId()));
  }

  @Test
  void sendsAndAcksOfOneBatchShareATransactionAndEachGetsItsOwnResult() {
    Caller wati = login("wati", 40011);
    long earlier = mailbox.send(wati, 30, "yusuf", "acknowledged in the batch").firstId();
    List<Object> results =
        mailbox.writeAll(
            List.of(
                new Mailbox.SendRequest(wati, 31, "yusuf", "stored in the batch"),
                new Mailbox.Acknowledgement("yusuf", earlier),
                new Mailbox.Acknowledgement("zaki", earlier),
                new Mailbox.SendRequest(wati, 32, "ghost", "to no one")));
    assertEquals(4, results.size());
    long stored = ((Mailbox.Stored) results.get(0)).firstId();
    assertTrue(mailbox.offlineFor("yusuf").contains(stored), "the SEND is stored");
    assertEquals(true, results.get(1), "the recipient's ACK is recorded");
    assertEquals(false, results.get(2), "not zaki's message");
    assertEquals(ErrorCode.NO_SUCH_USER, ((Mailbox.Stored) results.get(3)).refusal());
    assertFalse(mailbox.offlineFor("yusuf").contains(earlier), "delivered now");
  }

  @Test
  void twoBatchesAcknowledgingTheSameMessagesInOppositeOrdersBothFinishEachAckCountedOnce()
      throws Exception {
    Caller wati = login("wati", 40012);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 5; round++) {
        List<Mailbox.Acknowledgement> up = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          long seq = 2000 + round * 100 + i;
          long id = mailbox.send(wati, seq, "zaki", "ack race " + seq).firstId();
          up.add(new Mailbox.Acknowledgement("zaki", id));
        }
        List<Mailbox.Acknowledgement> down = new ArrayList<>(up);
        Collections.reverse(down);
        // one that is not zaki's, in the middle: its result must stay in its place
        down.add(7, new Mailbox.Acknowledgement("yusuf", up.get(3).id()));
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        // an ACK and its retransmission in two batches at once: in opposite orders, the rows
        // locked one by one deadlocked, and a batch failed after Derby's deadlock timeout
        Future<List<Boolean>> first =
            pool.submit(
                () -> {
                  start.await();
                  return mailbox.acknowledgeAll(up);
                });
        Future<List<Boolean>> second =
            pool.submit(
                () -> {
                  start.await();
                  return mailbox.acknowledgeAll(down);
                });
        List<Boolean> ups = first.get(60, TimeUnit.SECONDS);
        List<Boolean> downs = second.get(60, TimeUnit.SECONDS);
        assertEquals(Collections.nCopies(20, true), ups, "every ACK found, as a repeat is too");
        List<Boolean> expected = new ArrayList<>(Collections.nCopies(21, true));
        expected.set(7, false);
        assertEquals(expected, downs, "each result in its request's place");
        assertTrue(
            Collections.disjoint(
                mailbox.offlineFor("zaki"), up.stream().map(Mailbox.Acknowledgement::id).toList()),
            "all delivered");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void sendsFromManyThreadsAreEachStoredOnceAndCommitted() throws Exception {
    Caller wati = login("wati", 40010);
    int threads = 8;
    int perThread = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<Mailbox.Stored>> sent = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < perThread; i++) {
        long seq = 1000 + t * perThread + i;
        sent.add(pool.submit(() -> writes.send(wati, seq, "zaki", "message " + seq)));
      }
    }
    pool.shutdown();
    assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
    Set<Long> ids = new HashSet<>();
    for (Future<Mailbox.Stored> stored : sent) {
      ids.add(stored.get().firstId());
    }
    assertEquals(threads * perThread, ids.size(), "one row per SEND");
    assertTrue(mailbox.offlineFor("zaki").containsAll(ids), "every one committed");
    for (Long id : ids) {
      assertTrue(writes.acknowledge("zaki", id));
    }
    assertTrue(Collections.disjoint(mailbox.offlineFor("zaki"), ids), "every ACK committed");
  }

  @Test
  void aTokenAuthenticatesFromAnyAddressButPushesMoveOnlyWhenTheAddressIsChecked() {
    InetSocketAddress first = new InetSocketAddress("127.0.0.9", 40007);
    LoginResult login = sessions.login("zaki", first);
    assertTrue(sessions.authenticate(login.token(), first).orElseThrow().fromItsAddress());
    InetSocketAddress moved = new InetSocketAddress("127.0.0.10", 40008);
    Authentication elsewhere = sessions.authenticate(login.token(), moved).orElseThrow();
    Caller caller = elsewhere.caller();
    assertEquals("zaki", caller.username());
    assertFalse(elsewhere.fromItsAddress());
    assertEquals(first, sessions.sessionHere("zaki").orElseThrow().address(), "not moved yet");
    assertTrue(sessions.moveAddress(caller.sessionId(), moved));
    assertEquals(moved, sessions.sessionHere("zaki").orElseThrow().address(), "moved");
    assertTrue(sessions.authenticate(login.token(), moved).orElseThrow().fromItsAddress());
    assertTrue(sessions.authenticate("AAAAAAAAAAAAAAAAAAAAAA", moved).isEmpty());
    sessions.logout(caller.sessionId());
    assertTrue(sessions.authenticate(login.token(), moved).isEmpty(), "ended sessions are gone");
  }

  @Test
  void thePeriodicCopyReadsOnlyTheUndeliveredMessagesStoredSinceAnInstant() {
    Caller wati = login("wati", 40011);
    long before = mailbox.send(wati, 29, "zaki", "stored before the window").firstId();
    long from = IdClock.firstIdAt(System.currentTimeMillis() + 1);
    long until = System.nanoTime() + 1_000_000_000L;
    while (IdClock.firstIdAt(System.currentTimeMillis()) <= from && System.nanoTime() < until) {
      Thread.onSpinWait(); // the next millisecond: ids stored from now on are after "from"
    }
    List<Long> mine = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      mine.add(mailbox.send(wati, 30 + i, "zaki", "to zaki " + i).firstId());
      mine.add(mailbox.send(wati, 40 + i, "yusuf", "to yusuf " + i).firstId());
    }
    long acknowledged = mine.remove(0);
    assertTrue(mailbox.acknowledge("zaki", acknowledged));

    List<MessageRecord> copies = new ArrayList<>();
    long afterId = from;
    for (List<MessageRecord> page; ; ) {
      page = mailbox.undeliveredAfter(afterId, 2);
      copies.addAll(page);
      if (page.size() < 2) {
        break;
      }
      afterId = page.get(1).id();
    }

    List<Long> ids = copies.stream().map(MessageRecord::id).toList();
    assertEquals(ids.size(), new HashSet<>(ids).size(), "no message twice");
    assertTrue(ids.containsAll(mine), "every undelivered message stored since then");
    assertFalse(ids.contains(acknowledged), "not one delivered");
    assertFalse(ids.contains(before), "nothing stored before: older rows are not read");
    List<Long> sorted = new ArrayList<>(ids);
    sorted.sort(Comparator.naturalOrder());
    assertEquals(sorted, ids, "oldest first");
  }

  private Caller login(String user, int port) {
    LoginResult result = sessions.login(user, new InetSocketAddress("127.0.0.9", port));
    assertEquals(null, result.refusal());
    return result.caller();
  }
}
