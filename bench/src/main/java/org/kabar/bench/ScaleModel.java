package org.kabar.bench;

import java.util.Locale;

/**
 * The throughput model of docs/ARCHITECTURE.md, "Beyond a few servers": what N servers carry when
 * every server holds every message (today's full replication) against a design where each message
 * is kept by two servers only (the users' home servers), from two measurements taken on one machine
 * in one sitting: one node's closed-loop rate, and three nodes' (sharing the machine).
 *
 * <p>Work per message, in CPU time: {@code s} for what the origin does (store, answer, the
 * recipient's acknowledgement), as one node alone measures it, plus {@code c} for each other server
 * that merges the message and its delivered state. On one machine of {@code k} cores, one node
 * carries {@code k / s} messages a second and three nodes {@code k / (s + 2c)}, which gives {@code
 * c}. With N machines of k cores each:
 *
 * <ul>
 *   <li>full replication: {@code N k / (s + (N-1) c)}, which tends to {@code k / c} however many
 *       servers are added;
 *   <li>two copies per message: {@code N k / (s + c)}, growing with N.
 * </ul>
 *
 * <p>Usage: {@code ScaleModel <one-node msgs/s> <three-nodes-on-one-machine msgs/s> [cores]}.
 */
public final class ScaleModel {

  private ScaleModel() {}

  public static void main(String[] args) {
    if (args.length < 2) {
      System.err.println("usage: ScaleModel ONE_NODE_RATE THREE_NODE_RATE [CORES]");
      System.exit(2);
    }
    double one = Double.parseDouble(args[0]);
    double three = Double.parseDouble(args[1]);
    double cores = args.length > 2 ? Double.parseDouble(args[2]) : 2;
    if (one <= 0 || three <= 0 || three >= one) {
      System.err.println("rates must be positive, the three nodes' below the one node's");
      System.exit(2);
    }
    double s = cores / one;
    double c = (cores / three - s) / 2;
    System.out.printf(
        Locale.ROOT,
        "per message: %.0f µs at the origin, %.0f µs at each other server (from %.0f/s alone and"
            + " %.0f/s for three nodes on %.0f cores)%n",
        s * 1e6,
        c * 1e6,
        one,
        three,
        cores);
    System.out.printf(
        Locale.ROOT, "%8s %22s %22s%n", "servers", "full replication /s", "two copies /s");
    for (int n : new int[] {1, 2, 3, 4, 5, 8, 10, 20}) {
      double full = n * cores / (s + (n - 1) * c);
      double two = n == 1 ? one : n * cores / (s + c);
      System.out.printf(Locale.ROOT, "%8d %22.0f %22.0f%n", n, full, two);
    }
    System.out.printf(
        Locale.ROOT,
        "full replication never carries more than %.0f/s, whatever the number of servers%n",
        cores / c);
  }
}
