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
 * fast as the server accepts) and {@code latency} (a fixed total rate, {@code --rate}).
 */
public final class Bench {

  private Bench() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      usage("a scenario");
    }
    String scenario = args[0];
    Map<String, InetSocketAddress> targets = new LinkedHashMap<>();
    int pairs = 50;
    int seconds = 20;
    int window = 4;
    int rate = 0;
    int clients = 2000;
    int threads = 16;
    Map<String, Long> pids = new LinkedHashMap<>();
    Path out = Path.of("bench/results");
    for (int i = 1; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        usage("a value after " + args[i]);
      }
      String value = args[i + 1];
      switch (args[i]) {
        case "--target" -> {
          if (!value.matches("[a-z]+=[0-9A-Za-z.-]+:[0-9]{1,5}")) {
            usage("--target as LABEL=HOST:PORT, not " + value);
          }
          String[] parts = value.split("[=:]");
          targets.put(parts[0], new InetSocketAddress(parts[1], Integer.parseInt(parts[2])));
        }
        case "--pairs" -> pairs = positive(value, "--pairs");
        case "--seconds" -> seconds = positive(value, "--seconds");
        case "--window" -> window = positive(value, "--window");
        case "--rate" -> rate = positive(value, "--rate");
        case "--out" -> out = Path.of(value);
        case "--clients" -> clients = positive(value, "--clients");
        case "--threads" -> threads = positive(value, "--threads");
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
      Sessions.run(targets, pids, clients, threads, out);
      return;
    }
    if (!scenario.equals("throughput") && !scenario.equals("latency")) {
      usage("scenario throughput, latency or sessions, not " + scenario);
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
    String prefix = Long.toString(System.currentTimeMillis() % 10_000_000, 36);
    for (Map.Entry<String, InetSocketAddress> target : targets.entrySet()) {
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
        LoadGenerator.Result result =
            generator.run(seconds, window, scenario.equals("latency") ? rate : 0);
        results.add(result);
        writePerSecond(out.resolve(name + "-" + target.getKey() + ".csv"), result);
      } finally {
        generator.close();
      }
    }
    String report = report(name, results);
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
            "%-8s %10s %12s %12s %6s %8s %9s %9s %9s %9s %10s%n",
            "target",
            "sent",
            "accepted/s",
            "delivered/s",
            "lost",
            "repeats",
            "p50 ms",
            "p99 ms",
            "p99.9 ms",
            "max ms",
            "vs relay"));
    for (LoadGenerator.Result r : results) {
      text.append(
          String.format(
              Locale.ROOT,
              "%-8s %10d %12.0f %12.0f %6d %8d %9.2f %9.2f %9.2f %9.2f %10s%n",
              r.label(),
              r.sent(),
              r.acceptedPerSecond(),
              r.deliveredPerSecond(),
              r.lost(),
              r.repeatedPushes(),
              r.latencyMicros().getValueAtPercentile(50) / 1000.0,
              r.latencyMicros().getValueAtPercentile(99) / 1000.0,
              r.latencyMicros().getValueAtPercentile(99.9) / 1000.0,
              r.latencyMicros().getMaxValue() / 1000.0,
              relay == null || relay == r || relay.deliveredPerSecond() == 0
                  ? "—"
                  : String.format(
                      Locale.ROOT, "%.3f×", r.deliveredPerSecond() / relay.deliveredPerSecond())));
    }
    return text.toString();
  }

  private static void writePerSecond(Path file, LoadGenerator.Result result) throws IOException {
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
            "target,seconds,sent,accepted,delivered,lost,repeated_pushes,errors,"
                + "accepted_per_s,delivered_per_s,p50_us,p99_us,p999_us,max_us\n");
    for (LoadGenerator.Result r : results) {
      csv.append(
          String.format(
              Locale.ROOT,
              "%s,%.0f,%d,%d,%d,%d,%d,%d,%.1f,%.1f,%d,%d,%d,%d%n",
              r.label(),
              r.seconds(),
              r.sent(),
              r.accepted(),
              r.delivered(),
              r.lost(),
              r.repeatedPushes(),
              r.errors(),
              r.acceptedPerSecond(),
              r.deliveredPerSecond(),
              r.latencyMicros().getValueAtPercentile(50),
              r.latencyMicros().getValueAtPercentile(99),
              r.latencyMicros().getValueAtPercentile(99.9),
              r.latencyMicros().getMaxValue()));
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
            + "\n       Bench sessions --target LABEL=HOST:PORT --pid LABEL=PID ... [--clients N]"
            + " [--threads T] [--out DIR]");
    System.exit(2);
  }
}
