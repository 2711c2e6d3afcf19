package org.kabar.systemtest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One node started with {@code server-config/bin/messenger-node}, as an operator would: its output
 * is collected, and it can be stopped with SIGTERM or killed with SIGKILL.
 */
public final class NodeProcess implements AutoCloseable {

  static final Path REPO = Path.of(System.getProperty("kabar.repo", "..")).toAbsolutePath();

  /** The deployment key of the nodes the tests start. */
  static final String CLUSTER_KEY = "system-test-deployment-key";

  static final Path WORK =
      Path.of(System.getProperty("kabar.work", "target/work")).toAbsolutePath();

  private final Process process;
  private final StringBuffer output = new StringBuffer();
  private final CompletableFuture<Void> drained;
  private final Settings settings;

  /** Where a node listens and keeps its data. */
  public record Settings(
      String name,
      String bind,
      int udpPort,
      int tcpPort,
      int httpPort,
      Path data,
      String peers,
      String dbUrl,
      Map<String, String> env) {

    /**
     * A node on its own loopback address with its own data directory under target/work, hashing
     * passwords at a test cost.
     */
    public static Settings on(String name, String bind) {
      return new Settings(
          name,
          bind,
          4999,
          5000,
          8080,
          WORK.resolve(name),
          "",
          "",
          Map.of("KABAR_PASSWORD_ITERATIONS", "1024", "KABAR_CLUSTER_KEY", CLUSTER_KEY));
    }

    public Settings withPorts(int udp, int tcp, int http) {
      return new Settings(name, bind, udp, tcp, http, data, peers, dbUrl, env);
    }

    public Settings withPeers(String list) {
      return new Settings(name, bind, udpPort, tcpPort, httpPort, data, list, dbUrl, env);
    }

    /** The node keeps its data on a Derby Network Server instead of embedded Derby. */
    public Settings withNetworkDatabase(String url) {
      return new Settings(name, bind, udpPort, tcpPort, httpPort, data, peers, url, env);
    }

    /** One more environment variable for the node. */
    public Settings withEnv(String key, String value) {
      Map<String, String> more = new java.util.HashMap<>(env);
      more.put(key, value);
      return new Settings(name, bind, udpPort, tcpPort, httpPort, data, peers, dbUrl, more);
    }
  }

  private NodeProcess(Settings settings, Process process) {
    this.settings = settings;
    this.process = process;
    this.drained = CompletableFuture.runAsync(this::drain);
  }

  /** Removes what an earlier run left in a node's data directory, for a test that needs none. */
  public static void wipe(Settings settings) throws IOException {
    wipe(settings.data());
  }

  /** Removes a directory and everything in it, if it exists. */
  static void wipe(Path data) throws IOException {
    if (!Files.exists(data)) {
      return;
    }
    try (var paths = Files.walk(data)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  /** Starts the node and waits until the script says it is ready or has exited. */
  public static NodeProcess start(Settings settings) throws IOException, InterruptedException {
    NodeProcess node = launch(settings);
    node.awaitReadyOrExit(Duration.ofSeconds(240));
    return node;
  }

  /** Starts the nodes at once (they start faster side by side) and waits until all are ready. */
  public static List<NodeProcess> startTogether(List<Settings> nodes)
      throws IOException, InterruptedException {
    List<NodeProcess> started = new ArrayList<>();
    try {
      for (Settings node : nodes) {
        started.add(launch(node));
      }
      for (NodeProcess node : started) {
        node.awaitReady();
      }
      return started;
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      for (NodeProcess node : started) {
        node.close();
      }
      throw e;
    }
  }

  /** The peer list of the i-th of several nodes: the ones before it, as an operator adds them. */
  public static String peersBefore(String[] hosts, int i) {
    return String.join(
        ",", List.of(hosts).subList(0, i).stream().map(host -> host + ":5000").toList());
  }

  /** Starts the node without waiting. */
  public static NodeProcess launch(Settings settings) throws IOException {
    Files.createDirectories(settings.data());
    List<String> command = new ArrayList<>();
    command.add(REPO.resolve("server-config/bin/messenger-node").toString());
    command.addAll(
        List.of(
            "--name", settings.name(),
            "--bind", settings.bind(),
            "--udp-port", String.valueOf(settings.udpPort()),
            "--tcp-port", String.valueOf(settings.tcpPort()),
            "--http-port", String.valueOf(settings.httpPort()),
            "--data", settings.data().toString(),
            "--heap", "384m"));
    if (!settings.peers().isEmpty()) {
      command.addAll(List.of("--peers", settings.peers()));
    }
    if (!settings.dbUrl().isEmpty()) {
      command.addAll(List.of("--db", "network", "--db-url", settings.dbUrl()));
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(settings.env());
    return new NodeProcess(settings, builder.start());
  }

  /** CPU time the node has used so far: the script and the JVM it started. */
  public Duration cpuTime() {
    return java.util.stream.Stream.concat(
            java.util.stream.Stream.of(process.toHandle()), process.toHandle().descendants())
        .map(handle -> handle.info().totalCpuDuration().orElse(Duration.ZERO))
        .reduce(Duration.ZERO, Duration::plus);
  }

  public Settings settings() {
    return settings;
  }

  private void drain() {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        output.append(line).append('\n');
      }
    } catch (IOException closedWithTheProcess) {
      // the process ended: everything it printed has been collected
    }
  }

  /** Waits until the node is ready (for nodes started together with {@link #launch}). */
  public NodeProcess awaitReady() throws InterruptedException {
    awaitReadyOrExit(Duration.ofSeconds(240));
    return assertReady();
  }

  private void awaitReadyOrExit(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (isReady() || !process.isAlive()) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("node " + settings.name() + " neither ready nor stopped:\n" + tail());
  }

  /** True once the start script reported the node ready. */
  public boolean isReady() {
    return output.indexOf("messenger-node: node " + settings.name() + " ready") >= 0;
  }

  /** Fails the test with the node's output unless it is ready. */
  public NodeProcess assertReady() {
    if (!isReady()) {
      throw new AssertionError("node " + settings.name() + " is not ready:\n" + tail());
    }
    return this;
  }

  /** Waits for the script to exit and returns its status. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("node " + settings.name() + " still running:\n" + tail());
    }
    drained.join();
    return process.exitValue();
  }

  /** Sends SIGTERM, as systemd or Ctrl-C would. */
  public void terminate() {
    // ProcessHandle.destroy sends SIGTERM and, unlike Process.destroy, leaves the output readable
    process.toHandle().destroy();
  }

  /** SIGKILLs the Java process and the script: a crash, with no chance to clean up. */
  public void kill9() throws InterruptedException {
    Optional<ProcessHandle> java = javaProcess();
    java.ifPresent(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    if (java.isPresent()) {
      try {
        java.get().onExit().get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new AssertionError("the killed node's JVM did not exit", e);
      }
    }
  }

  /** The Payara Micro JVM the script started. */
  public Optional<ProcessHandle> javaProcess() {
    return process
        .descendants()
        .filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
        .findFirst();
  }

  public String output() {
    return output.toString();
  }

  /**
   * Waits until the node's output contains the text: a node logs an event a moment after a client
   * can see its effect.
   *
   * @throws AssertionError naming {@code what} if the text does not come within the time
   */
  public void awaitOutput(String text, Duration within, String what) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!output().contains(text)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + ": no '" + text + "' from " + settings.name());
      }
      Thread.sleep(100);
    }
  }

  String tail() {
    String all = output.toString();
    return all.length() > 6000 ? all.substring(all.length() - 6000) : all;
  }

  /** Stops the node if it still runs; a test that failed midway leaves no process behind. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      terminate();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        kill9();
      }
    }
    keepOutput();
  }

  /** Keeps what the node printed as target/node-logs/NAME-PID.log, to read after a failure. */
  private void keepOutput() {
    try {
      Path logs = Files.createDirectories(Path.of("target", "node-logs"));
      Files.writeString(
          logs.resolve(settings.name() + "-" + process.pid() + ".log"), output.toString());
    } catch (IOException | UnsupportedOperationException e) {
      System.err.println("output of node " + settings.name() + " not kept: " + e.getMessage());
    }
  }
}
