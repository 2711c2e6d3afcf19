package org.kabar.systemtest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The sockets a process listens on (TCP in LISTEN, UDP bound), read as {@code ss -lntup} would from
 * /proc/net and mapped to the process by the socket inodes among its file descriptors.
 */
final class Listeners {

  /** One listening socket: "tcp" or "udp", its local address and port. */
  record Listener(String protocol, String address, int port) {
    @Override
    public String toString() {
      return protocol + " " + address + ":" + port;
    }
  }

  private Listeners() {}

  /** Everything the process listens on. */
  static List<Listener> of(long pid) throws IOException {
    Set<String> inodes = socketInodes(pid);
    List<Listener> found = new ArrayList<>();
    for (String table : List.of("tcp", "tcp6", "udp", "udp6")) {
      List<String> lines = Files.readAllLines(Path.of("/proc/net", table));
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        boolean listening = table.startsWith("tcp") ? f[3].equals("0A") : f[3].equals("07");
        if (listening && inodes.contains(f[9])) {
          String[] local = f[1].split(":");
          found.add(
              new Listener(
                  table.substring(0, 3), address(local[0]), Integer.parseInt(local[1], 16)));
        }
      }
    }
    return found;
  }

  private static Set<String> socketInodes(long pid) throws IOException {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException closedMeanwhile) {
          // a descriptor closed while the list was read: not a listener
        }
      }
    }
    return inodes;
  }

  /**
   * The text of a /proc/net address: 32-bit words in host (little-endian) order; an IPv4-mapped
   * IPv6 address is shown as the IPv4 one.
   */
  private static String address(String hex) throws UnknownHostException {
    byte[] bytes = new byte[hex.length() / 2];
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int b = 0; b < 4; b++) {
        int at = word * 8 + (3 - b) * 2;
        bytes[word * 4 + b] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    return InetAddress.getByAddress(bytes).getHostAddress();
  }
}
