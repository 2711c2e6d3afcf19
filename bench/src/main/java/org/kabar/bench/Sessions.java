package org.kabar.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sessions and login-storm scenario: registers {@code clients} idle users, logs them all in
 * from {@code threads} threads at once (logins per second), and measures the server's heap after a
 * full collection before and after (heap per session, read from the JVM with {@code jcmd}, not
 * guessed).
 */
final class Sessions {

  private Sessions() {}

  static void run(
      Map<String, InetSocketAddress> targets,
      Map<String, Long> pids,
      int clients,
      int threads,
      int perSocket,
      int holdSeconds,
      Path out)
      throws Exception {
    StringBuilder report =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%n== sessions, %d idle users, logins from %d threads, then %d s of keep-alives"
                    + " (LIVE every %d s), %s ==%n"
                    + "%-8s %10s %14s %14s %14s %14s %8s%n",
                clients,
                threads,
                holdSeconds,
                LoadGenerator.KEEP_ALIVE_SECONDS,
                Instant.now(),
                "target",
                "logins/s",
                "heap growth",
                "bytes/session",
                "after hold",
                "bytes/session",
                "lost"));
    StringBuilder csv =
        new StringBuilder(
            "target,clients,threads,logins_per_s,heap_growth_bytes,bytes_per_session,"
                + "hold_s,heap_growth_after_hold_bytes,bytes_per_session_after_hold,"
                + "sessions_lost\n");
    Map<String, Double> perSession = new LinkedHashMap<>();
    Map<String, Double> loginRate = new LinkedHashMap<>();
    String prefix = Long.toString(System.currentTimeMillis() % 10_000_000, 36);
    for (Map.Entry<String, InetSocketAddress> target : targets.entrySet()) {
      Long pid = pids.get(target.getKey());
      long before = pid == null ? -1 : usedAfterGc(pid);
      LoadGenerator generator = new LoadGenerator(target.getValue(), target.getKey());
      try {
        System.out.printf("bench sessions: %s, %d users%n", target.getKey(), clients);
        generator.connectIdle(
            clients, "z" + prefix + target.getKey().charAt(0), threads, perSocket);
        double rate = clients / (generator.loginNanos / 1e9);
        long after = pid == null ? -1 : usedAfterGc(pid);
        long lost = generator.hold(holdSeconds);
        long held = pid == null ? -1 : usedAfterGc(pid);
        double bytes = pid == null ? Double.NaN : (after - before) / (double) clients;
        double heldBytes = pid == null ? Double.NaN : (held - before) / (double) clients;
        report.append(
            String.format(
                Locale.ROOT,
                "%-8s %10.0f %13.1fM %14.0f %13.1fM %14.0f %8d%n",
                target.getKey(),
                rate,
                (after - before) / 1048576.0,
                bytes,
                (held - before) / 1048576.0,
                heldBytes,
                lost));
        csv.append(
            String.format(
                Locale.ROOT,
                "%s,%d,%d,%.1f,%d,%.0f,%d,%d,%.0f,%d%n",
                target.getKey(),
                clients,
                threads,
                rate,
                after - before,
                bytes,
                holdSeconds,
                held - before,
                heldBytes,
                lost));
        perSession.put(target.getKey(), holdSeconds > 0 ? heldBytes : bytes);
        loginRate.put(target.getKey(), rate);
      } finally {
        generator.close();
      }
    }
    System.out.print(report);
    Files.writeString(out.resolve("sessions-summary.txt"), report);
    Files.writeString(out.resolve("sessions-summary.csv"), csv);
    Charts.bars(
        out.resolve("sessions.png"),
        "sessions: heap per idle session and logins per second",
        Map.of("bytes of heap per session", perSession, "logins per second", loginRate));
    System.out.println("bench: wrote " + out.resolve("sessions.png"));
  }

  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  /** The JVM's used heap after a full collection, read with jcmd. */
  static long usedAfterGc(long pid) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
    Thread.sleep(1000);
    Matcher used = USED.matcher(jcmd(pid, "GC.heap_info"));
    if (!used.find()) {
      throw new IOException("jcmd GC.heap_info of " + pid + " shows no used heap");
    }
    return Long.parseLong(used.group(1)) * 1024;
  }

  /** Runs a {@code jcmd} diagnostic command in the JVM of the given process; returns its output. */
  static String jcmd(long pid, String... command) throws IOException, InterruptedException {
    List<String> line = new ArrayList<>(List.of("jcmd", Long.toString(pid)));
    line.addAll(List.of(command));
    Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
    String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    return text;
  }
}
