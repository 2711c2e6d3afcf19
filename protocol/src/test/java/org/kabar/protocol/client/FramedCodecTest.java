package org.kabar.protocol.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kabar.protocol.client.ClientReply.Delivery;
import org.kabar.protocol.client.ClientReply.Done;
import org.kabar.protocol.client.ClientReply.ErrorReply;
import org.kabar.protocol.client.ClientReply.Full;
import org.kabar.protocol.client.ClientReply.InboxEntry;
import org.kabar.protocol.client.ClientReply.InboxPage;
import org.kabar.protocol.client.ClientReply.LoggedIn;
import org.kabar.protocol.client.ClientReply.MessageText;
import org.kabar.protocol.client.ClientReply.OnlineUsers;
import org.kabar.protocol.client.ClientReply.Sent;
import org.kabar.protocol.client.ClientReply.SessionEnded;
import org.kabar.protocol.client.ClientReply.UserList;

class FramedCodecTest {

  private static final String TOKEN = "AbCdEfGhIjKlMnOpQrSt_-";
  private static final String CLIENT_NONCE = "cLiEnTnOnCe_0123456789";
  private static final String NONCE = CLIENT_NONCE + "sErVeRnOnCe-0123456789";
  private static final String PROOF = "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
  private static final Instant TIME = Instant.parse("2026-11-26T17:13:08Z");

  @Test
  void everyCommandRoundTrips() {
    List<Request> requests =
        List.of(
            new Request(1, null, new Command.Auth("ayu", CLIENT_NONCE)),
            new Request(2, null, new Command.Prove(NONCE, PROOF)),
            new Request(2, null, new Command.Register(NONCE, "AAAA" + PROOF)),
            new Request(20, TOKEN, new Command.Check("AbCdEfGhIjKlMn_-")),
            new Request(3, TOKEN, new Command.ListUsers()),
            new Request(4, TOKEN, new Command.Inbox(0)),
            new Request(5, TOKEN, new Command.Inbox(41)),
            new Request(6, TOKEN, new Command.Read(42)),
            new Request(7, TOKEN, new Command.Send("budi", "halo, apa kabar? 👋")),
            new Request(8, TOKEN, new Command.Send("all", "to everyone")),
            new Request(9, TOKEN, new Command.Delete(42)),
            new Request(10, TOKEN, new Command.Ack(43)),
            new Request(11, TOKEN, new Command.Live()),
            new Request(12, TOKEN, new Command.Logout()),
            new Request(13, TOKEN, new Command.CreateChannel("#kopi")),
            new Request(14, TOKEN, new Command.Invite("#kopi", "budi")),
            new Request(15, TOKEN, new Command.Join("#kopi")),
            new Request(16, TOKEN, new Command.Leave("#kopi")),
            new Request(17, TOKEN, new Command.Members("#kopi")),
            new Request(18, TOKEN, new Command.Kick("#kopi", "budi")),
            new Request(19, TOKEN, new Command.Send("#kopi", "to the channel")),
            new Request(999_999_999_999L, TOKEN, new Command.Unregister(PROOF)));
    for (Request request : requests) {
      assertEquals(
          request, ClientCodec.decode(ClientCodec.encodeRequest(request)), request.toString());
    }
  }

  @Test
  void everyReplyRoundTrips() {
    List<ClientReply> replies =
        List.of(
            new Done(1, "REGISTER"),
            new ClientReply.AuthChallenge(
                2,
                NONCE,
                PROOF,
                ClientReply.AuthChallenge.Mode.SCRAM,
                "W22ZaJ0SNY7soEsUEjb6gQ==",
                600000),
            new ClientReply.AuthChallenge(
                2, NONCE, PROOF, ClientReply.AuthChallenge.Mode.DIRECTORY, null, 0),
            new LoggedIn(2, TOKEN, PROOF, List.of("ayu", "budi"), 0),
            new LoggedIn(2, TOKEN, PROOF, List.of(), 0),
            new ClientReply.AddressCheck("AbCdEfGhIjKlMn_-"),
            new UserList(3, List.of("ayu"), 0),
            new InboxPage(4, List.of(new InboxEntry(7, "budi", TIME, false)), true),
            new InboxPage(4, List.of(), false),
            new MessageText(6, 42, "budi", "ayu", TIME, "two  spaces and 🙂"),
            new Sent(7, 43),
            new Full(8, List.of("127.0.0.2:4999", "127.0.0.3:4999")),
            new Full(8, List.of()),
            new ErrorReply(9, ErrorCode.NO_SUCH_USER, "no such user"),
            new Delivery(44, "ayu", "all", TIME, "hello all"),
            new OnlineUsers(List.of("ayu", "budi", "citra"), 0),
            new SessionEnded("expired"),
            new ClientReply.Moved("127.0.0.22:4999", "AbCdEfGhIjKlMnOpQrStUv"),
            new ClientReply.ChannelMembers(20, "#kopi", List.of("ayu", "budi"), 0),
            new Delivery(45, "ayu", "#kopi", TIME, "to the channel"));
    for (ClientReply reply : replies) {
      assertEquals(reply, ClientCodec.decodeReply(ByteBuffer.wrap(ClientCodec.encode(reply))));
    }
  }

  @Test
  void requestsBeforeASessionArePaddedToTheLargestDatagram() {
    for (Command anonymous :
        List.of(
            new Command.Auth("ayu", CLIENT_NONCE),
            new Command.Prove(NONCE, PROOF),
            new Command.Register(NONCE, PROOF))) {
      byte[] wire = ClientCodec.encodeRequest(new Request(2, null, anonymous));
      assertEquals(ClientCodec.MAX_DATAGRAM_BYTES, wire.length, anonymous.verb());
    }
    byte[] list = ClientCodec.encodeRequest(new Request(3, TOKEN, new Command.ListUsers()));
    assertTrue(list.length < 60, "requests in a session are not padded");
  }

  @Test
  void paddingAfterTheArgumentsIsIgnored() {
    assertEquals(
        new Command.Auth("ayu", CLIENT_NONCE),
        assertInstanceOf(Request.class, decode("K1 2 AUTH Ayu " + CLIENT_NONCE + " padding ..."))
            .command());
    assertEquals(
        new Command.Prove(NONCE, PROOF),
        assertInstanceOf(Request.class, decode("K1 3 PROVE " + NONCE + " " + PROOF + " ......"))
            .command());
  }

  @Test
  void blanksPadOnlyTheRequestsWhoseRepliesAreLarger() {
    String padded = " ".repeat(1100);
    assertInstanceOf(
        Request.class, decode("K1 2 AUTH ayu " + CLIENT_NONCE + padded), "AUTH may be padded");
    assertInstanceOf(
        Request.class, decode("K1 3 PROVE " + NONCE + " " + PROOF + padded), "PROVE too");
    for (String request :
        List.of(
            "K1 7 ~" + TOKEN + " READ 12",
            "K1 7 ~" + TOKEN + " INBOX",
            "K1 7 ~" + TOKEN + " LIST",
            "K1 7 ~" + TOKEN + " SEND ayu halo",
            "K1 7 ~" + TOKEN + " FROB",
            "K1 7 ~" + TOKEN)) {
      for (String around : List.of(request + padded, request + " \n", "  " + request + "\n")) {
        InvalidRequest refused =
            assertInstanceOf(InvalidRequest.class, decode(around), "padded: " + request);
        assertEquals(ErrorCode.BAD_ARGUMENTS, refused.code(), request);
        assertEquals(7, refused.seq(), request);
        assertEquals(TOKEN, refused.token(), request);
      }
      if (!request.endsWith("FROB") && !request.endsWith(TOKEN)) {
        for (String lineEnd : List.of("", "\n", "\r\n")) {
          assertInstanceOf(
              Request.class, decode(request + lineEnd), "one line end is no padding: " + request);
        }
      }
    }
  }

  @Test
  void aLoginWithThePasswordInItIsRefusedAndSaysWhatToDoInstead() {
    InvalidRequest refused =
        assertInstanceOf(InvalidRequest.class, decode("K1 2 LOGIN ayu pw123456 padding"));
    assertEquals(ErrorCode.UPGRADE, refused.code());
    assertTrue(refused.detail().contains("AUTH"), refused.detail());
  }

  @Test
  void aMalformedRequestOfASessionKeepsItsToken() {
    for (String verb : List.of("SEND", "READ abc", "INBOX x", "ACK zz", "DELETE", "JOIN kelas")) {
      InvalidRequest refused =
          assertInstanceOf(InvalidRequest.class, decode("K1 9 ~" + TOKEN + " " + verb));
      assertEquals(TOKEN, refused.token(), verb);
      assertEquals(9, refused.seq(), verb);
    }
    assertEquals(null, assertInstanceOf(InvalidRequest.class, decode("K1 9 READ abc")).token());
  }

  @Test
  void aRequestTypedByHandIsUnderstood() {
    Request request =
        assertInstanceOf(Request.class, decode("K1 5 ~" + TOKEN + " send Budi hi there"));
    assertEquals(new Command.Send("budi", "hi there"), request.command());
    assertEquals(5, request.seq());
  }

  @Test
  void longListsAreCutToOneDatagramSayingHowManyWereLeftOut() {
    List<String> users = IntStream.range(0, 500).mapToObj(i -> "user-number-" + i).toList();
    byte[] wire = ClientCodec.encode(new UserList(3, users, 0));
    assertTrue(wire.length <= ClientCodec.MAX_DATAGRAM_BYTES, "fits: " + wire.length);
    UserList decoded =
        assertInstanceOf(UserList.class, ClientCodec.decodeReply(ByteBuffer.wrap(wire)));
    assertEquals(500, decoded.users().size() + decoded.more());
    assertEquals(users.subList(0, decoded.users().size()), decoded.users());
  }

  @Test
  void longInboxPagesAreCutAndMarkedAsHavingMore() {
    List<InboxEntry> entries = new ArrayList<>();
    for (int i = 1; i <= 40; i++) {
      entries.add(
          new InboxEntry(1_000_000 + i, "a-rather-long-user-name-of-32chr", TIME, i % 2 == 0));
    }
    byte[] wire = ClientCodec.encode(new InboxPage(4, entries, false));
    assertTrue(wire.length <= ClientCodec.MAX_DATAGRAM_BYTES);
    InboxPage decoded =
        assertInstanceOf(InboxPage.class, ClientCodec.decodeReply(ByteBuffer.wrap(wire)));
    assertTrue(decoded.more());
    assertEquals(entries.subList(0, decoded.entries().size()), decoded.entries());
  }

  @Test
  void theLargestMessageStillFitsInOnePush() {
    String text = "é".repeat(Names.MAX_TEXT_BYTES / 2);
    Request send = new Request(1, TOKEN, new Command.Send("ayu", text));
    assertEquals(send, ClientCodec.decode(ClientCodec.encodeRequest(send)));
    byte[] push =
        ClientCodec.encode(
            new Delivery(Long.MAX_VALUE, "a".repeat(32), "b".repeat(32), TIME, text));
    assertTrue(push.length <= ClientCodec.MAX_DATAGRAM_BYTES, "push of " + push.length);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "K2 1 LIST|0|UNSUPPORTED_VERSION",
        "K1|0|BAD_ARGUMENTS",
        "K1 x LIST|0|BAD_ARGUMENTS",
        "K1 0 LIST|0|BAD_ARGUMENTS",
        "K1 -3 LIST|0|BAD_ARGUMENTS",
        "K1 1234567890123456789 LIST|0|BAD_ARGUMENTS",
        "K1 7|7|BAD_ARGUMENTS",
        "K1 7 LIST|7|NOT_LOGGED_IN",
        "K1 7 ~short LIST|7|BAD_SESSION",
        "K1 7 ~AbCdEfGhIjKlMnOpQrSt_-|7|BAD_ARGUMENTS",
        "K1 7 ~AbCdEfGhIjKlMnOpQrSt_- FROB|7|UNKNOWN_COMMAND",
        "K1 7 ~AbCdEfGhIjKlMnOpQrSt_- LIST now|7|BAD_ARGUMENTS",
        "K1 7 ~AbCdEfGhIjKlMnOpQrSt_- READ|7|BAD_ARGUMENTS",
        "K1 7 ~AbCdEfGhIjKlMnOpQrSt_- READ 0|7|BAD_ARGUMENTS",
        "K1 7 ~AbCdEfGhIjKlMnOpQrSt_- READ abc|7|BAD_ARGUMENTS",
        "K1 7 ~AbCdEfGhIjKlMnOpQrSt_- SEND budi|7|BAD_ARGUMENTS",
        "K1 7 ~AbCdEfGhIjKlMnOpQrSt_- SEND b<script> hi|7|BAD_ARGUMENTS",
        "K1 7 ~AbCdEfGhIjKlMnOpQrSt_- SEND _x hi|7|BAD_ARGUMENTS",
        "K1 7 AUTH ayu|7|BAD_ARGUMENTS",
        "K1 7 AUTH ayu short|7|BAD_ARGUMENTS",
        "K1 7 AUTH ayu not+base64url/nonce|7|BAD_ARGUMENTS",
        "K1 7 AUTH a-very-long-name-that-is-over-32-chars cLiEnTnOnCe_0123456789|7|BAD_ARGUMENTS",
        "K1 7 PROVE cLiEnTnOnCe_0123456789|7|BAD_ARGUMENTS",
        "K1 7 PROVE shortnonce dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=|7|BAD_ARGUMENTS",
        "K1 7 PROVE cLiEnTnOnCe_0123456789sErVeRnOnCe-0123456789 not*base64|7|BAD_ARGUMENTS",
        "K1 7 REGISTER ayu secret123|7|BAD_ARGUMENTS",
        "K1 7 LOGIN ayu|7|UPGRADE",
        "K1 7 ~AbCdEfGhIjKlMnOpQrSt_- UNREGISTER|7|BAD_ARGUMENTS",
        "K1 7 ~AbCdEfGhIjKlMnOpQrSt_- UNREGISTER secret 123|7|BAD_ARGUMENTS",
        "K1 7 ~AbCdEfGhIjKlMnOpQrSt_- CHECK tooshort|7|BAD_ARGUMENTS",
        "K1 7 ~AbCdEfGhIjKlMnOpQrSt_- CREATE kopi|7|BAD_ARGUMENTS",
        "K1 7 ~AbCdEfGhIjKlMnOpQrSt_- CREATE #|7|BAD_ARGUMENTS",
        "K1 7 ~AbCdEfGhIjKlMnOpQrSt_- INVITE #kopi|7|BAD_ARGUMENTS",
        "K1 7 ~AbCdEfGhIjKlMnOpQrSt_- INVITE #kopi a b|7|BAD_ARGUMENTS",
        "K1 7 ~AbCdEfGhIjKlMnOpQrSt_- SEND #ko<pi hi|7|BAD_ARGUMENTS"
      })
  void malformedFramedRequestsAreRefusedWithTheirCode(String datagram, long seq, ErrorCode code) {
    InvalidRequest refused = assertInstanceOf(InvalidRequest.class, decode(datagram));
    assertEquals(code, refused.code(), refused.detail());
    assertEquals(seq, refused.seq());
    assertEquals(datagram.contains("~" + TOKEN) ? TOKEN : null, refused.token(), datagram);
  }

  @Test
  void anOverlongMessageIsRefused() {
    String text = "x".repeat(Names.MAX_TEXT_BYTES + 1);
    InvalidRequest refused =
        assertInstanceOf(InvalidRequest.class, decode("K1 3 ~" + TOKEN + " SEND ayu " + text));
    assertEquals(ErrorCode.BAD_ARGUMENTS, refused.code());
  }

  @Test
  void generatedFramedGarbageNeverThrows() {
    Random random = new Random(31337);
    String[] words = {
      "K1", "1", "~" + TOKEN, "SEND", "AUTH", "PROVE", "ayu", "all", " ", "-1", "~", "é"
    };
    for (int i = 0; i < 20_000; i++) {
      StringBuilder text = new StringBuilder();
      int count = random.nextInt(8);
      for (int w = 0; w < count; w++) {
        text.append(words[random.nextInt(words.length)]);
        if (random.nextBoolean()) {
          text.append(' ');
        }
      }
      ClientRequest request = decode(text.toString());
      if (request instanceof Request framed) {
        assertTrue(framed.seq() > 0);
        assertTrue(framed.token() != null || framed.command().anonymous());
      }
    }
  }

  private static ClientRequest decode(String text) {
    return ClientCodec.decode(text.getBytes(StandardCharsets.UTF_8));
  }
}
