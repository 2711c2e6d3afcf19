package org.kabar.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs one benchmark scenario against one or more targets (the node, the bare relay) in turn and
 * reports each, with its ratio to the relay: {@code Bench SCENARIO --target LABEL=HOST:PORT ...
 * [--pairs N] [--seconds S] [--window W] [--rate R] [--out DIR]}. Scenarios: {@code throughput} (as
 * fast as the server accepts), {@code latency} (a fixed total rate, {@code --rate}), {@code
 * cluster} (a target of several servers, {@code LABEL=HOST:PORT,HOST:PORT,...}, with one of them
 * killed in the middle: {@code --kill HOST:PORT --kill-pid PID --kill-after S}), {@code sessions},
 * {@code storm} (a chat at {@code --rate} while {@code --clients} users log in, see {@link Storm}),
 * and {@code store} (no target: the node's statements on Derby alone, see {@link StoreFloor}).
 */
public final class Bench {

  private Bench() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      usage("a scenario");
    }
    String scenario = args[0];
    Map<String, List<InetSocketAddress>> targets = new LinkedHashMap<>();
    InetSocketAddress killServer = null;
    long killPid = 0;
    int killAfter = 0;
    int warmup = 0;
    long profilePid = 0;
    Path profileFile = null;
    int pairs = 50;
    int seconds = 20;
    int window = 4;
    int rate = 0;
    int clients = 2000;
    int threads = 16;
    int perSocket = 1;
    int hold = 0;
    int batch = 16;
    Path work = Path.of("bench/target/run");
    Map<String, Long> pids = new LinkedHashMap<>();
    Path out = Path.of("bench/results");
    for (int i = 1; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        usage("a value after " + args[i]);
      }
      String value = args[i + 1];
      switch (args[i]) {
        case "--target" -> {
          if (!value.matches("[a-z]+=" + ADDRESS + "(," + ADDRESS + ")*")) {
            usage("--target as LABEL=HOST:PORT[,HOST:PORT...], not " + value);
          }
          List<InetSocketAddress> addresses = new ArrayList<>();
          for (String address : value.substring(value.indexOf('=') + 1).split(",")) {
            addresses.add(address(address));
          }
          targets.put(value.substring(0, value.indexOf('=')), addresses);
        }
        case "--kill" -> {
          if (!value.matches(ADDRESS)) {
            usage("--kill as HOST:PORT, not " + value);
          }
          killServer = address(value);
        }
        case "--kill-pid" -> killPid = positive(value, "--kill-pid");
        case "--warmup" -> warmup = positive(value, "--warmup");
        case "--profile" -> profilePid = positive(value, "--profile");
        case "--profile-to" -> profileFile = Path.of(value);
        case "--kill-after" -> killAfter = positive(value, "--kill-after");
        case "--pairs" -> pairs = positive(value, "--pairs");
        case "--seconds" -> seconds = positive(value, "--seconds");
        case "--window" -> window = positive(value, "--window");
        case "--rate" -> rate = positive(value, "--rate");
        case "--out" -> out = Path.of(value);
        case "--clients" -> clients = positive(value, "--clients");
        case "--threads" -> threads = positive(value, "--threads");
        case "--per-socket" -> perSocket = positive(value, "--per-socket");
        case "--hold" -> hold = positive(value, "--hold");
        case "--batch" -> batch = positive(value, "--batch");
        case "--work" -> work = Path.of(value);
        case "--pid" -> {
          if (!value.matches("[a-z]+=[0-9]{1,10}")) {
            usage("--pid as LABEL=PID, not " + value);
          }
          String[] parts = value.split("=");
          pids.put(parts[0], Long.parseLong(parts[1]));
        }
        default -> usage("a known option, not " + args[i]);
      }
    }
    if (scenario.equals("sessions")) {
      Files.createDirectories(out);
      Map<String, InetSocketAddress> first = new LinkedHashMap<>();
      targets.forEach((label, addresses) -> first.put(label, addresses.get(0)));
      Sessions.run(first, pids, clients, threads, perSocket, hold, out);
      return;
    }
    if (scenario.equals("store")) {
      StoreFloor.run(seconds, warmup, threads, batch, out, work);
      return;
    }
    if (scenario.equals("storm")) {
      if (rate == 0 || targets.isEmpty()) {
        usage("--rate and at least one --target for the storm scenario");
      }
      Files.createDirectories(out);
      Storm.run(targets, pids, pairs, window, rate, seconds, warmup, clients, threads, out);
      return;
    }
    if (!List.of("throughput", "latency", "cluster").contains(scenario)) {
      usage("scenario throughput, latency, cluster, sessions, storm or store, not " + scenario);
    }
    LoadGenerator.Kill kill = null;
    if (scenario.equals("cluster")) {
      if (killServer == null || killPid == 0 || killAfter == 0) {
        usage("--kill, --kill-pid and --kill-after for the cluster scenario");
      }
      kill = new LoadGenerator.Kill(killServer, killPid, killAfter);
    }
    if (scenario.equals("latency") && rate == 0) {
      usage("--rate for the latency scenario");
    }
    if (targets.isEmpty()) {
      usage("at least one --target");
    }
    Files.createDirectories(out);
    String name = scenario.equals("latency") ? scenario + "-" + rate : scenario;
    List<LoadGenerator.Result> results = new ArrayList<>();
    StringBuilder cpu = new StringBuilder();
    String prefix = Long.toString(System.currentTimeMillis() % 10_000_000, 36);
    for (Map.Entry<String, List<InetSocketAddress>> target : targets.entrySet()) {
      System.out.printf(
          "bench %s: %s at %s, %d pairs, %d s%s%n",
          name,
          target.getKey(),
          target.getValue(),
          pairs,
          seconds,
          rate > 0 ? ", " + rate + " messages/s" : ", window " + window);
      LoadGenerator generator = new LoadGenerator(target.getValue(), target.getKey());
      try {
        generator.connect(pairs, "b" + prefix + target.getKey().charAt(0));
        LoadGenerator.Kill killHere =
            kill != null && target.getValue().contains(kill.server()) ? kill : null;
        int perSecond = scenario.equals("throughput") ? 0 : rate;
        if (warmup > 0) {
          System.out.printf("  %s: warming up for %d s (not measured)%n", target.getKey(), warmup);
          generator.run(warmup, window, perSecond, null);
        }
        long pid = pids.getOrDefault(target.getKey(), 0L);
        long ticksBefore = LoginFlood.cpuTicks(pid);
        LoadGenerator.Result result = generator.run(seconds, window, perSecond, killHere);
        if (pid > 0 && result.delivered() > 0) {
          // utime + stime in ticks of 10 ms, over the run and its drain
          double cpuSeconds = (LoginFlood.cpuTicks(pid) - ticksBefore) / 100.0;
          cpu.append(
              String.format(
                  Locale.ROOT,
                  "%s: %.1f CPU-s for %d messages delivered: %.0f µs of CPU per message%n",
                  target.getKey(),
                  cpuSeconds,
                  result.delivered(),
                  cpuSeconds * 1e6 / result.delivered()));
        }
        if (profilePid != 0 && profileFile != null && !target.getKey().equals("relay")) {
          // a separate run: sampling deep stacks slows the node, so it is not the one measured
          int profiled = Math.min(seconds, 15);
          System.out.printf(
              "  %s: %d s more with JFR recording (the profile; not measured)%n",
              target.getKey(), profiled);
          // the application server nests the project's calls 100+ frames down
          Sessions.jcmd(profilePid, "JFR.configure", "stackdepth=512");
          Sessions.jcmd(profilePid, "JFR.start", "name=bench", "settings=default");
          generator.run(profiled, window, perSecond, null);
          Sessions.jcmd(
              profilePid, "JFR.stop", "name=bench", "filename=" + profileFile.toAbsolutePath());
        }
        results.add(result);
        writePerSecond(out.resolve(name + "-" + target.getKey() + ".csv"), result);
      } finally {
        generator.close();
      }
    }
    String report = report(name, results) + cpu;
    System.out.print(report);
    Files.writeString(out.resolve(name + "-summary.txt"), report);
    writeSummary(out.resolve(name + "-summary.csv"), results);
    Charts.write(out.resolve(name + ".png"), name, results);
    System.out.println(
        "bench: wrote " + out.resolve(name + ".png") + " and the CSV files beside it");
  }

  static String report(String name, List<LoadGenerator.Result> results) {
    LoadGenerator.Result relay =
        results.stream().filter(r -> r.label().equals("relay")).findFirst().orElse(null);
    StringBuilder text = new StringBuilder();
    text.append(String.format(Locale.ROOT, "%n== %s, %s ==%n", name, Instant.now()));
    text.append(
        String.format(
            Locale.ROOT,
            "%-8s %10s %12s %12s %6s %8s %9s %8s %9s %9s %9s %9s %10s%n",
            "target",
            "sent",
            "accepted/s",
            "delivered/s",
            "lost",
            "repeats",
            "refused",
            "gave up",
            "p50 ms",
            "p99 ms",
            "p99.9 ms",
            "max ms",
            "vs relay"));
    for (LoadGenerator.Result r : results) {
      text.append(
          String.format(
              Locale.ROOT,
              "%-8s %10d %12.0f %12.0f %6d %8d %9d %8d %9.2f %9.2f %9.2f %9.2f %10s%n",
              r.label(),
              r.sent(),
              r.acceptedPerSecond(),
              r.deliveredPerSecond(),
              r.lost(),
              r.repeatedPushes(),
              r.refused(),
              r.givenUp(),
              r.latencyMicros().getValueAtPercentile(50) / 1000.0,
              r.latencyMicros().getValueAtPercentile(99) / 1000.0,
              r.latencyMicros().getValueAtPercentile(99.9) / 1000.0,
              r.latencyMicros().getMaxValue() / 1000.0,
              relay == null || relay == r || relay.deliveredPerSecond() == 0
                  ? "—"
                  : String.format(
                      Locale.ROOT, "%.3f×", r.deliveredPerSecond() / relay.deliveredPerSecond())));
    }
    for (LoadGenerator.Result r : results) {
      if (r.answeredMicros().getTotalCount() > 0) {
        // the rest of the latency is the push: the courier, the recipient's window, its ACKs
        text.append(
            String.format(
                Locale.ROOT,
                "%s: OK SEND after the try accepted: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                r.label(),
                r.answeredMicros().getValueAtPercentile(50) / 1000.0,
                r.answeredMicros().getValueAtPercentile(99) / 1000.0,
                r.answeredMicros().getMaxValue() / 1000.0));
      }
    }
    for (LoadGenerator.Result r : results) {
      LoadGenerator.Failover f = r.failover();
      if (f != null) {
        text.append(
            String.format(
                Locale.ROOT,
                "%s failover: %d of %d clients of the killed server served again by another;"
                    + " from the kill: median %d ms, max %d ms; %d MOVED followed, %d moves after"
                    + " silence; %d lost, %d shown twice%n",
                r.label(),
                f.servedAgain(),
                f.clientsOfKilled(),
                f.servedAgainMillis().getValueAtPercentile(50),
                f.servedAgainMillis().getMaxValue(),
                f.moved(),
                f.clientMoves(),
                r.lost(),
                f.shownTwice()));
      }
    }
    return text.toString();
  }

  private static final String ADDRESS = "[0-9A-Za-z.-]+:[0-9]{1,5}";

  private static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return new InetSocketAddress(
        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }

  static void writePerSecond(Path file, LoadGenerator.Result result) throws IOException {
    StringBuilder csv = new StringBuilder("second,sent,accepted,delivered,p50_us,p99_us\n");
    for (long[] row : result.perSecond()) {
      csv.append(row[0])
          .append(',')
          .append(row[1])
          .append(',')
          .append(row[2])
          .append(',')
          .append(row[3])
          .append(',')
          .append(row[4])
          .append(',')
          .append(row[5])
          .append('\n');
    }
    Files.writeString(file, csv);
  }

  private static void writeSummary(Path file, List<LoadGenerator.Result> results)
      throws IOException {
    StringBuilder csv =
        new StringBuilder(
            "target,seconds,sent,accepted,delivered,lost,repeated_pushes,errors,refused,given_up,"
                + "accepted_per_s,delivered_per_s,p50_us,p99_us,p999_us,max_us,"
                + "clients_of_killed,served_again,failover_p50_ms,failover_max_ms,shown_twice\n");
    for (LoadGenerator.Result r : results) {
      LoadGenerator.Failover f = r.failover();
      csv.append(
          String.format(
              Locale.ROOT,
              "%s,%.0f,%d,%d,%d,%d,%d,%d,%d,%d,%.1f,%.1f,%d,%d,%d,%d,%s%n",
              r.label(),
              r.seconds(),
              r.sent(),
              r.accepted(),
              r.delivered(),
              r.lost(),
              r.repeatedPushes(),
              r.errors(),
              r.refused(),
              r.givenUp(),
              r.acceptedPerSecond(),
              r.deliveredPerSecond(),
              r.latencyMicros().getValueAtPercentile(50),
              r.latencyMicros().getValueAtPercentile(99),
              r.latencyMicros().getValueAtPercentile(99.9),
              r.latencyMicros().getMaxValue(),
              f == null
                  ? ",,,,"
                  : f.clientsOfKilled()
                      + ","
                      + f.servedAgain()
                      + ","
                      + f.servedAgainMillis().getValueAtPercentile(50)
                      + ","
                      + f.servedAgainMillis().getMaxValue()
                      + ","
                      + f.shownTwice()));
    }
    Files.writeString(file, csv);
  }

  static int positive(String value, String option) {
    try {
      int n = Integer.parseInt(value);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    usage(option + " as a positive number, not " + value);
    return 0;
  }

  private static void usage(String needed) {
    System.err.println(
        "bench: needs "
            + needed
            + "\nusage: Bench throughput|latency --target LABEL=HOST:PORT ... [--pairs N]"
            + " [--seconds S] [--window W] [--rate R] [--out DIR]"
            + "\n       Bench cluster --target LABEL=HOST:PORT,HOST:PORT,... --kill HOST:PORT"
            + " --kill-pid PID --kill-after S [--pairs N] [--seconds S] [--window W] [--out DIR]"
            + "\n       (throughput, latency, cluster) [--warmup S] [--profile PID --profile-to FILE]"
            + "\n       Bench sessions --target LABEL=HOST:PORT --pid LABEL=PID ... [--clients N]"
            + " [--threads T] [--per-socket K] [--hold S] [--out DIR]"
            + "\n       Bench store [--seconds S] [--warmup S] [--threads T] [--batch B] [--out DIR]"
            + " [--work DIR]");
    System.exit(2);
  }
}
