package org.kabar.bench;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The login storm beside a chat: {@code pairs} pairs chat at a fixed total rate while {@code
 * clients} other users, registered beforehand, log in from {@code threads} threads at once. The
 * storm starts {@link #STORM_AFTER_SECONDS} into the chat; the chat's latency is reported over the
 * whole run and over the storm alone, with the logins per second.
 */
final class Storm {

  /** The chat's seconds before the storm begins: its first seconds show the chat alone. */
  static final int STORM_AFTER_SECONDS = 3;

  private Storm() {}

  static void run(
      Map<String, List<InetSocketAddress>> targets,
      Map<String, Long> pids,
      int pairs,
      int window,
      int rate,
      int seconds,
      int warmup,
      int clients,
      int threads,
      Path out)
      throws Exception {
    String name = "storm";
    List<LoadGenerator.Result> results = new ArrayList<>();
    StringBuilder storms = new StringBuilder();
    StringBuilder csv =
        new StringBuilder(
            "target,logins,login_threads,storm_seconds,logins_per_s,storm_within_chat,"
                + "chat_during_storm_p50_ms,chat_during_storm_p99_ms,"
                + "chat_during_storm_p999_ms,chat_during_storm_max_ms,node_cpu_s\n");
    String prefix = Long.toString(System.currentTimeMillis() % 10_000_000, 36);
    for (Map.Entry<String, List<InetSocketAddress>> target : targets.entrySet()) {
      String label = target.getKey();
      InetSocketAddress server = target.getValue().get(0);
      System.out.printf(
          "bench storm: %s at %s, %d pairs at %d messages/s for %d s; %d users log in from %d"
              + " threads after %d s%n",
          label, server, pairs, rate, seconds, clients, threads, STORM_AFTER_SECONDS);
      LoadGenerator chat = new LoadGenerator(server, label);
      LoadGenerator storm = new LoadGenerator(server, label);
      try {
        chat.connect(pairs, "c" + prefix + label.charAt(0));
        storm.registerIdle(clients, "w" + prefix + label.charAt(0), threads, 1);
        if (warmup > 0) {
          System.out.printf("  %s: warming up for %d s (not measured)%n", label, warmup);
          chat.run(warmup, window, rate);
        }
        long pid = pids.getOrDefault(label, 0L);
        long ticksBefore = LoginFlood.cpuTicks(pid);
        long[] stormSpan = new long[2];
        Throwable[] failure = new Throwable[1];
        Thread storming =
            new Thread(
                () -> {
                  try {
                    Thread.sleep(STORM_AFTER_SECONDS * 1000L);
                    stormSpan[0] = System.nanoTime();
                    chat.marking = true;
                    storm.logInIdle(threads);
                  } catch (Throwable e) {
                    failure[0] = e;
                  } finally {
                    chat.marking = false;
                    stormSpan[1] = System.nanoTime();
                  }
                },
                "storm");
        long chatStart = System.nanoTime();
        storming.start();
        LoadGenerator.Result result = chat.run(seconds, window, rate);
        long chatEnd = System.nanoTime();
        storming.join();
        if (failure[0] != null) {
          throw new IllegalStateException(label + ": the storm failed", failure[0]);
        }
        double cpuSeconds = pid > 0 ? (LoginFlood.cpuTicks(pid) - ticksBefore) / 100.0 : Double.NaN;
        double stormSeconds = (stormSpan[1] - stormSpan[0]) / 1e9;
        boolean within = stormSpan[1] <= chatEnd;
        Histogram during = chat.marked;
        double p50 = during.getValueAtPercentile(50) / 1000.0;
        double p99 = during.getValueAtPercentile(99) / 1000.0;
        double p999 = during.getValueAtPercentile(99.9) / 1000.0;
        double max = during.getMaxValue() / 1000.0;
        storms.append(
            String.format(
                Locale.ROOT,
                "%s: %d logins from %d threads in %.1f s (%.0f/s), from %.1f s to %.1f s of the"
                    + " %d s chat%s; the chat during the storm: %d messages, p50 %.2f ms, p99 %.2f"
                    + " ms, p99.9 %.2f ms, max %.2f ms; node CPU %.1f s%n",
                label,
                clients,
                threads,
                stormSeconds,
                clients / stormSeconds,
                (stormSpan[0] - chatStart) / 1e9,
                (stormSpan[1] - chatStart) / 1e9,
                seconds,
                within ? "" : " (the storm outlasted the chat: give more --seconds)",
                during.getTotalCount(),
                p50,
                p99,
                p999,
                max,
                cpuSeconds));
        csv.append(
            String.format(
                Locale.ROOT,
                "%s,%d,%d,%.1f,%.1f,%b,%.2f,%.2f,%.2f,%.2f,%.1f%n",
                label,
                clients,
                threads,
                stormSeconds,
                clients / stormSeconds,
                within,
                p50,
                p99,
                p999,
                max,
                cpuSeconds));
        results.add(result);
        Bench.writePerSecond(out.resolve(name + "-" + label + ".csv"), result);
      } finally {
        chat.close();
        storm.close();
      }
    }
    String report = Bench.report(name, results) + storms;
    System.out.print(report);
    Files.writeString(out.resolve(name + "-summary.txt"), report);
    Files.writeString(out.resolve(name + "-summary.csv"), csv);
    Charts.write(out.resolve(name + ".png"), name + " (chat latency per second)", results);
    System.out.println(
        "bench: wrote "
            + out.resolve(name + ".png")
            + " and the CSV files beside it; "
            + Instant.now());
  }
}
