package org.kabar.client;

import java.net.InetSocketAddress;
import java.util.List;

/** Parses the {@code --server HOST:PORT} options into addresses. */
final class Servers {

  private Servers() {}

  static InetSocketAddress parse(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon < 1 || colon == hostPort.length() - 1) {
      throw new IllegalArgumentException("'" + hostPort + "' is not HOST:PORT");
    }
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + hostPort + "' has no valid port");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("'" + hostPort + "' has no valid port");
    }
    return new InetSocketAddress(hostPort.substring(0, colon), port);
  }

  static List<InetSocketAddress> parseAll(List<String> hostPorts) {
    return hostPorts.stream().map(Servers::parse).toList();
  }
}
