package org.kabar.systemtest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Asks a node's {@code /health/ready} every 20 ms from before the node starts until its own check
 * answers UP, as a load balancer would, keeps every 200 it got, and at once asks the console's
 * sign-in page too: what a load balancer sends on to a node it sees ready.
 */
final class ReadinessWatch implements AutoCloseable {

  private static final String NODE_UP = "{\"name\":\"kabar-node\",\"status\":\"UP\"";

  private final List<String> answered200 = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> watching;
  private volatile boolean stop;
  private volatile int consoleStatus;

  ReadinessWatch(String host, int port) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/health/ready"))
            .timeout(Duration.ofSeconds(2))
            .build();
    HttpRequest console =
        HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/admin/login.xhtml"))
            .timeout(Duration.ofSeconds(10))
            .build();
    watching =
        CompletableFuture.runAsync(
            () -> {
              while (!stop) {
                try {
                  HttpResponse<String> answer =
                      http.send(ready, HttpResponse.BodyHandlers.ofString());
                  if (answer.statusCode() == 200) {
                    answered200.add(answer.body());
                    if (answer.body().contains(NODE_UP)) {
                      consoleStatus =
                          http.send(console, HttpResponse.BodyHandlers.discarding()).statusCode();
                      return;
                    }
                  }
                } catch (java.io.IOException notListeningYet) {
                  // the node is not up yet: ask again
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                try {
                  Thread.sleep(20);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
              }
            });
  }

  /** Waits until the node's own check answered UP; fails if it does not within the time. */
  void awaitNodeUp(Duration within) throws Exception {
    watching.get(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    if (answered200.isEmpty() || !answered200.get(answered200.size() - 1).contains(NODE_UP)) {
      throw new AssertionError("the node's check never answered UP: " + answered200);
    }
  }

  /** The status of the sign-in page asked for the moment the node was first ready. */
  int consoleStatusWhenReady() {
    return consoleStatus;
  }

  /** The distinct 200 answers that came before the node's own check was UP: there must be none. */
  List<String> earlyAnswers() {
    return answered200.stream().filter(body -> !body.contains(NODE_UP)).distinct().toList();
  }

  @Override
  public void close() {
    stop = true;
  }
}
