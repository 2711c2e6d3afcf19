package org.kabar.server.cluster.control;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the operator's list of peer servers, {@code HOST:PORT,HOST:PORT,...}. */
public final class PeerAddresses {

  private static final Pattern PEER = Pattern.compile("([0-9A-Za-z.-]{1,253}):([0-9]{1,5})");

  /** One peer server's address and TCP port. */
  public record Peer(String host, int port) {}

  private PeerAddresses() {}

  /**
   * Parses the list; blanks around entries and empty entries are ignored.
   *
   * @throws IllegalArgumentException naming the first entry that is not {@code HOST:PORT}
   */
  public static List<Peer> parse(String list) {
    List<Peer> peers = new ArrayList<>();
    if (list == null) {
      return peers;
    }
    for (String entry : list.split(",")) {
      String trimmed = entry.strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      Matcher matcher = PEER.matcher(trimmed);
      int port = matcher.matches() ? Integer.parseInt(matcher.group(2)) : 0;
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("peer '" + trimmed + "' is not HOST:PORT");
      }
      peers.add(new Peer(matcher.group(1), port));
    }
    return peers;
  }
}
