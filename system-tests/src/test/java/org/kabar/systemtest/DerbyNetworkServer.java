package org.kabar.systemtest;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A Derby Network Server started with the project's script, on a fresh database directory. */
final class DerbyNetworkServer implements AutoCloseable {

  private final Process process;

  private DerbyNetworkServer(Process process) {
    this.process = process;
  }

  /** Starts a server on {@code host:port} with its data under target/work/{@code name}. */
  static DerbyNetworkServer start(String name, String host, int port) throws Exception {
    Path data = NodeProcess.WORK.resolve(name);
    NodeProcess.wipe(data); // a fresh database for every run
    Process process =
        new ProcessBuilder(
                NodeProcess.REPO.resolve("server-config/bin/derby-network-server").toString(),
                "--bind",
                host,
                "--port",
                String.valueOf(port),
                "--data",
                data.toString())
            .redirectErrorStream(true)
            .redirectOutput(NodeProcess.WORK.resolve(name + ".log").toFile())
            .start();
    DerbyNetworkServer server = new DerbyNetworkServer(process);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try (Socket socket = new Socket(host, port)) {
        return server;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline || !process.isAlive()) {
          server.close();
          throw new AssertionError("the Derby Network Server did not start on " + host, notYet);
        }
        Thread.sleep(200);
      }
    }
  }

  /** The URL a node is given: {@code //HOST:PORT/kabar}. */
  static String url(String host, int port) {
    return "//" + host + ":" + port + "/kabar";
  }

  @Override
  public void close() throws InterruptedException {
    process.toHandle().destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
