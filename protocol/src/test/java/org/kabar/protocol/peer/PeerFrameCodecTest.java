package org.kabar.protocol.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PeerFrameCodecTest {

  @Test
  void framesRoundTripThroughAStream() throws Exception {
    List<PeerFrame> frames =
        List.of(
            new Ping(1),
            new Beat(1_765_000_000_000L, 1),
            new Beat(999_999_999_999_999_999L, 86_400),
            new Pong(Long.MAX_VALUE),
            new Ping(-5),
            new PeerError("too-large", "frame of 9 bytes"),
            new Hello("node-a", PeerKey.nonce()),
            new Welcome("node-b", PeerKey.nonce(), "ab12"),
            new Proof("cd34"),
            new Announce("node-c", "10.0.0.3", 5000, 4999, 1023),
            new Claim("a1b2", "ayu"),
            new Claimed("a1b2", true),
            new Claimed("a1b2", false),
            new Unclaim("a1b2", "ayu"),
            new AskClaim("a1b2", "ayu"),
            new StoredCopies(List.of(7L)),
            new StoredCopies(List.of(1_795_000_000_000_001L, 2L, 3L)),
            new UserRecord(
                "ayu", 1_795_000_000_000L, "PBKDF2WithHmacSHA256:1024:c2E+/w==:aGFzaA=="),
            new UserRecord(
                "ayu",
                1_795_000_000_000L,
                "PBKDF2WithHmacSHA256:1024:c2E+/w==:aGFzaA==",
                1_795_000_000_123L,
                true),
            new UserRecord(
                "ayu",
                1_795_000_000_000L,
                "SCRAM-SHA-256:600000:c2E+/w==:c3RvcmVk:c2VydmVy",
                1_795_000_000_123L,
                false),
            new UserRemoved("ayu"),
            new MessageRecord(
                42,
                1_795_000_000_001L,
                0,
                1_795_000_000_000L,
                "ayu",
                "budi",
                null,
                7,
                3,
                "halo, apa kabar? 🙂"),
            new MessageRecord(
                43,
                9,
                MessageRecord.DELETED | MessageRecord.DELIVERED,
                1,
                "ayu",
                "budi",
                "#kelas",
                0,
                0,
                ""),
            new SessionRecord(
                44,
                5,
                "ayu",
                "node-a",
                true,
                1_795_000_000_000L,
                "10.0.0.9",
                40123,
                "ab".repeat(32)),
            new SessionRecord(45, 6, "budi", "node-b", false, 1, "::1", 1, null),
            new SyncRequest(0),
            new SyncRequest(1_795_000_000_000L),
            new ChannelRecord("#kelas", "ayu", 1_795_000_000_000L),
            new MemberRecord("#kelas", "budi", MemberRecord.State.INVITED, 7),
            new MemberRecord("#kelas", "budi", MemberRecord.State.GONE, 9),
            new Via(List.of("node-a", "node.b"), new ChannelRecord("#kelas", "ayu", 1L)),
            new Via(
                List.of("node-a", "node-b", "node-c"),
                new MessageRecord(
                    44, 2, 0, 1, "ayu", "budi", null, 7, 4, "VIA x MSG 1 spaces, inside")),
            new Via(
                List.of("node-a"), new MemberRecord("#kelas", "budi", MemberRecord.State.GONE, 9)),
            new LoadQuery(),
            new Load(
                100,
                42,
                7,
                0,
                3,
                1_795_000_010_000L,
                java.util.stream.LongStream.range(0, Load.BUCKETS).boxed().toList()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (PeerFrame frame : frames) {
      ByteBuffer encoded = PeerFrameEncoder.encode(frame);
      out.write(encoded.array(), 0, encoded.limit());
    }
    PeerFrameDecoder decoder = new PeerFrameDecoder(new ByteArrayInputStream(out.toByteArray()));
    for (PeerFrame frame : frames) {
      assertEquals(frame, decoder.next());
    }
    assertThrows(EOFException.class, decoder::next);
  }

  @Test
  void oversizedLengthIsRefusedBeforeReadingTheBody() {
    byte[] header = ByteBuffer.allocate(4).putInt(PeerFrameDecoder.MAX_FRAME_BYTES + 1).array();
    assertEquals("bad-length", refusal(header));
  }

  @Test
  void zeroAndNegativeLengthsAreRefused() {
    assertEquals("bad-length", refusal(ByteBuffer.allocate(4).putInt(0).array()));
    assertEquals("bad-length", refusal(ByteBuffer.allocate(4).putInt(-1).array()));
  }

  @Test
  void truncatedFrameIsAnEndOfStream() {
    byte[] truncated = ByteBuffer.allocate(6).putInt(10).put((byte) 'P').put((byte) 'I').array();
    assertThrows(
        EOFException.class, () -> new PeerFrameDecoder(new ByteArrayInputStream(truncated)).next());
  }

  @Test
  void malformedBodiesAreRefusedWithTheirReason() {
    assertEquals("unknown-frame", bodyRefusal("GREET there"));
    assertEquals("bad-arguments", bodyRefusal("PING"));
    assertEquals("bad-arguments", bodyRefusal("BEAT 1"));
    assertEquals("bad-arguments", bodyRefusal("BEAT 0 1"));
    assertEquals("bad-arguments", bodyRefusal("BEAT 1 -1"));
    assertEquals("bad-arguments", bodyRefusal("BEAT 1 2 3"));
    assertEquals("bad-arguments", bodyRefusal("PING x"));
    assertEquals("bad-arguments", bodyRefusal("PONG 1 2"));
    assertEquals("bad-arguments", bodyRefusal("ERROR only-code"));
    assertEquals("bad-arguments", bodyRefusal("HELLO node"));
    assertEquals("bad-arguments", bodyRefusal("HELLO no<de 12"));
    assertEquals("bad-arguments", bodyRefusal("WELCOME a b"));
    assertEquals("bad-arguments", bodyRefusal("PROOF"));
    assertEquals("bad-arguments", bodyRefusal("ANNOUNCE c 10.0.0.3 0 4999"));
    assertEquals("bad-arguments", bodyRefusal("CLAIMED a1 maybe"));
    assertEquals("bad-arguments", bodyRefusal("CLAIMED x1 yes"));
    assertEquals("bad-arguments", bodyRefusal("VIA a,b PING 1"));
    assertEquals("bad-arguments", bodyRefusal("VIA a,,b UNUSER ayu"));
    assertEquals("bad-arguments", bodyRefusal("VIA a VIA b CHANNEL #kelas ayu 1"));
    assertEquals("bad-arguments", bodyRefusal("VIA a<b CHANNEL #kelas ayu 1"));
    assertEquals("bad-arguments", bodyRefusal("VIA node-a"));
    assertEquals("bad-arguments", bodyRefusal("STORED"));
    assertEquals("bad-arguments", bodyRefusal("STORED 1,,2"));
    assertEquals("bad-arguments", bodyRefusal("STORED 0"));
    assertEquals("bad-arguments", bodyRefusal("STORED 1 2"));
    assertEquals("bad-arguments", bodyRefusal("STORED -1"));
    assertEquals("bad-arguments", bodyRefusal("STORED " + "1,".repeat(1024) + "1"));
    assertEquals("bad-arguments", bodyRefusal("CLAIM a1 Ayu"));
    assertEquals("bad-arguments", bodyRefusal("CLAIM zz ayu"));
    assertEquals("bad-arguments", bodyRefusal("UNCLAIM a1"));
    assertEquals("bad-arguments", bodyRefusal("ASKCLAIM a1 ayu extra"));
    assertEquals("bad-arguments", bodyRefusal("USER Ayu 1 hash"));
    assertEquals("bad-arguments", bodyRefusal("USER ayu x hash"));
    assertEquals("bad-arguments", bodyRefusal("USER ayu 1 has h"));
    assertEquals("bad-arguments", bodyRefusal("USER ayu 1 hash 5 deleted"));
    assertEquals("bad-arguments", bodyRefusal("USER ayu 1 hash x active"));
    assertEquals("bad-arguments", bodyRefusal("USER ayu 1 hash 5"));
    assertEquals("bad-arguments", bodyRefusal("LOAD? now"));
    assertEquals("bad-arguments", bodyRefusal("LOAD 1 2 3 4 5 6 1,2,3"));
    assertEquals("bad-arguments", bodyRefusal("LOAD 1 2 3 4 5 6 " + "1,".repeat(29) + "-1"));
    assertEquals("bad-arguments", bodyRefusal("LOAD 1 2 3 4 5 " + "1,".repeat(29) + "1"));
    assertEquals("bad-arguments", bodyRefusal("ANNOUNCE c 10.0.0.3 5000"));
    assertEquals("bad-arguments", bodyRefusal("ANNOUNCE c 10.0.0.3 5000 99999 1"));
    assertEquals("bad-arguments", bodyRefusal("ANNOUNCE c 10.0.0.3 5000 4999 1024"));
    assertEquals("bad-arguments", bodyRefusal("MSG 1 1 0 1 ayu budi - 0 0"));
    assertEquals("bad-arguments", bodyRefusal("MSG 0 1 0 1 ayu budi - 0 0 hi"));
    assertEquals("bad-arguments", bodyRefusal("MSG 1 1 16 1 ayu budi - 0 0 hi"));
    assertEquals("bad-arguments", bodyRefusal("MSG 1 1 0 1 Ayu budi - 0 0 hi"));
    assertEquals("bad-arguments", bodyRefusal("MSG 1 1 0 1 ayu budi kelas 0 0 hi"));
    assertEquals("bad-arguments", bodyRefusal("MSG 1 1 0 1 ayu budi - 0 0 h\u0007i"));
    assertEquals("bad-arguments", bodyRefusal("MSG 1 1 0 1 ayu budi - 0 0 " + "x".repeat(1001)));
    assertEquals("bad-arguments", bodyRefusal("SESSION 1 1 ayu node-a 2 1 10.0.0.9 4000 -"));
    assertEquals("bad-arguments", bodyRefusal("SESSION 1 1 ayu node-a 1 1 evil.com 4000 -"));
    assertEquals("bad-arguments", bodyRefusal("SESSION 1 1 ayu node-a 1 1 10.0.0.9 0 -"));
    assertEquals("bad-arguments", bodyRefusal("SESSION 1 1 ayu node-a 1 1 10.0.0.9 4000 abc"));
    assertEquals("bad-arguments", bodyRefusal("SYNC -1"));
    assertEquals("bad-arguments", bodyRefusal("SYNC"));
    assertEquals("bad-arguments", bodyRefusal("CHANNEL kelas ayu 1"));
    assertEquals("bad-arguments", bodyRefusal("MEMBER #kelas budi left 1"));
    assertEquals("bad-arguments", bodyRefusal("MEMBER #kelas Budi joined 1"));
    assertEquals(
        "bad-encoding",
        refusalOfBody(new byte[] {'P', 'I', 'N', 'G', ' ', (byte) 0xc3, (byte) 0x28}));
  }

  @Test
  void randomGarbageNeverEscapesAsAnUncheckedException() {
    Random random = new Random(5000);
    for (int i = 0; i < 5_000; i++) {
      byte[] garbage = new byte[random.nextInt(200)];
      random.nextBytes(garbage);
      try {
        new PeerFrameDecoder(new ByteArrayInputStream(garbage)).next();
      } catch (IOException | PeerProtocolException expected) {
        // refused cleanly
      }
    }
  }

  @Test
  void proofsMatchOnlyWithTheSameKeyChallengesAndNames() {
    PeerKey key = new PeerKey("a-deployment-key-of-32-characters");
    PeerKey other = new PeerKey("another-deployment-key-entirely!");
    String hello = PeerKey.nonce();
    String welcome = PeerKey.nonce();
    HandshakeTranscript link = new HandshakeTranscript(hello, welcome, "node-a", "node-b");
    String mac = key.welcomeMac(link);
    assertEquals(true, PeerKey.same(mac, key.welcomeMac(link)));
    assertEquals(false, PeerKey.same(mac, other.welcomeMac(link)));
    assertEquals(
        false,
        PeerKey.same(
            mac, key.welcomeMac(new HandshakeTranscript(welcome, hello, "node-a", "node-b"))));
    assertEquals(
        false,
        PeerKey.same(
            mac, key.welcomeMac(new HandshakeTranscript(hello, welcome, "node-c", "node-b"))),
        "the WELCOME names the opener it answers");
    assertEquals(false, PeerKey.same(mac, key.proofMac(link)), "a WELCOME is no PROOF");
    assertEquals(false, mac.contains("a-deployment-key"));
    assertEquals(16, key.fingerprint().length());
    assertThrows(IllegalArgumentException.class, () -> new PeerKey("short"));
  }

  @Test
  void refusalsNeverQuoteAPeersBytesRawOrAtLength() {
    String huge = "7".repeat(65_000);
    for (String body :
        List.of(
            "CHANNEL #kelas ayu 1\nFORGED-LINE",
            "CHANNEL #kelas ayu " + huge,
            "MEMBER #kelas ayu joined 1\r\nFORGED-LINE",
            "SESSION 1 1 ayu node-a 1 1 10.0.0.9 40\nFORGED-LINE -",
            "SESSION 1 1 ayu node-a 1 1 10.0.0.9 " + huge + " -",
            "MSG 1\nFORGED-LINE 1 0 1 ayu budi - 0 0 hi",
            "MSG " + huge + " 1 0 1 ayu budi - 0 0 hi",
            "LOAD 1 2\u001b[2J 3 4 5 6 " + "1,".repeat(29) + "1",
            "ANNOUNCE c 10.0.0.3 5000 4999 " + "9".repeat(128))) {
      PeerProtocolException refused =
          assertThrows(
              PeerProtocolException.class,
              () -> PeerFrameDecoder.decodeBody(body.getBytes(StandardCharsets.UTF_8)));
      String message = refused.getMessage();
      assertEquals("bad-arguments", refused.code());
      assertEquals(
          true, message.chars().noneMatch(Character::isISOControl), "printable: " + message);
      assertEquals(true, message.length() <= PeerText.MESSAGE_CHARS, "short: " + message);
      assertEquals(false, message.contains(huge.substring(0, 100)), "not at length: " + message);
    }
    assertEquals(
        "id is not a number: '1\\nFORGED-LINE'",
        assertThrows(
                PeerProtocolException.class,
                () ->
                    PeerFrameDecoder.decodeBody(
                        "MSG 1\nFORGED-LINE 1 0 1 ayu budi - 0 0 hi"
                            .getBytes(StandardCharsets.UTF_8)))
            .getMessage());
  }

  @Test
  void anErrorFramesTextIsMadePrintableAndItsCodeAWord() throws Exception {
    PeerError error =
        (PeerError)
            PeerFrameDecoder.decodeBody(
                "ERROR bad-key \nFORGED-LINE".getBytes(StandardCharsets.UTF_8));
    assertEquals("\\nFORGED-LINE", error.text());
    assertEquals("bad-arguments", bodyRefusal("ERROR bad\u0007key text"));
  }

  private static String bodyRefusal(String body) {
    return refusalOfBody(body.getBytes(StandardCharsets.UTF_8));
  }

  private static String refusalOfBody(byte[] body) {
    return assertThrows(PeerProtocolException.class, () -> PeerFrameDecoder.decodeBody(body))
        .code();
  }

  private static String refusal(byte[] stream) {
    return assertThrows(
            PeerProtocolException.class,
            () -> new PeerFrameDecoder(new ByteArrayInputStream(stream)).next())
        .code();
  }
}
