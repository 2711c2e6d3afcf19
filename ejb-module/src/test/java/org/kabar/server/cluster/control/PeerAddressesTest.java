package org.kabar.server.cluster.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kabar.server.cluster.control.PeerAddresses.Peer;

class PeerAddressesTest {

  @Test
  void parsesAListWithBlanksAndEmptyEntries() {
    assertEquals(
        List.of(new Peer("10.0.0.2", 5000), new Peer("chat-b.example.org", 5001)),
        PeerAddresses.parse(" 10.0.0.2:5000, ,chat-b.example.org:5001,"));
  }

  @Test
  void emptyOrMissingListHasNoPeers() {
    assertEquals(List.of(), PeerAddresses.parse(""));
    assertEquals(List.of(), PeerAddresses.parse(null));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "host",
        "host:",
        ":5000",
        "host:0",
        "host:65536",
        "host:5000x",
        "a b:5000",
        "h:-1"
      })
  void refusesEntriesThatAreNotHostAndPort(String entry) {
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> PeerAddresses.parse("ok:1," + entry));
    assertEquals(true, refused.getMessage().contains(entry.strip()));
  }
}
