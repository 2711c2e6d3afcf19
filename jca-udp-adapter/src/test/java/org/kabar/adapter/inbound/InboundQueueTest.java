package org.kabar.adapter.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kabar.adapter.api.AdapterStatus.QueueStatus;

class InboundQueueTest {

  private InboundQueue<String> queue;
  private final List<Thread> workers = new java.util.ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    if (queue != null) {
      queue.stop();
    }
    for (Thread worker : workers) {
      worker.join(5_000);
    }
  }

  @Test
  void everyItemIsDeliveredOnceWhenThePoolIsSmallerThanTheWorkers() throws Exception {
    int items = 5_000;
    Set<String> seen = ConcurrentHashMap.newKeySet();
    CountDownLatch all = new CountDownLatch(items);
    // 2 bean instances, 8 workers: workers must wait for instances, never drop
    FakeEndpoints endpoints =
        new FakeEndpoints(
            2,
            item -> {
              if (seen.add(item)) {
                all.countDown();
              }
            });
    queue = new InboundQueue<>("test", 64, 10_000, 1);
    queue.attach(endpoints.batchInvoker());
    startWorkers(8);
    for (int i = 0; i < items; i++) {
      assertTrue(queue.offer("item-" + i));
    }
    assertTrue(all.await(30, TimeUnit.SECONDS), "all items delivered");
    QueueStatus status = queue.status();
    assertEquals(items, status.received());
    assertEquals(0, status.dropped());
    assertEquals(items, seen.size());
    waitUntil(() -> queue.status().delivered() == items);
    assertEquals(endpoints.released.get(), items, "every endpoint released");
  }

  @Test
  void itemsWaitWhileNoBeanIsActivatedThenFlow() throws Exception {
    Set<String> seen = ConcurrentHashMap.newKeySet();
    queue = new InboundQueue<>("test", 10, 0, 1);
    startWorkers(2);
    for (int i = 0; i < 10; i++) {
      assertTrue(queue.offer("early-" + i));
    }
    Thread.sleep(300);
    assertEquals(10, queue.status().depth(), "nothing taken without a bean");
    assertFalse(queue.status().endpointActive());
    queue.attach(new FakeEndpoints(4, seen::add).batchInvoker());
    waitUntil(() -> seen.size() == 10);
    assertEquals(
        IntStream.range(0, 10).mapToObj(i -> "early-" + i).collect(Collectors.toSet()), seen);
  }

  @Test
  void aFullQueueWaitsThenDropsAndCounts() throws Exception {
    queue = new InboundQueue<>("test", 3, 50, 1);
    // no bean attached: nothing drains the queue
    for (int i = 0; i < 3; i++) {
      assertTrue(queue.offer("kept-" + i));
    }
    long start = System.nanoTime();
    assertFalse(queue.offer("dropped"));
    long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(waitedMillis >= 40, "the reader waited for room first, waited " + waitedMillis);
    QueueStatus status = queue.status();
    assertEquals(1, status.dropped());
    assertEquals(3, status.depth());
    assertEquals(4, status.received());
  }

  @Test
  void aFailingBeanIsCountedAndTheQueueKeepsServing() throws Exception {
    Set<String> seen = ConcurrentHashMap.newKeySet();
    FakeEndpoints endpoints =
        new FakeEndpoints(
            2,
            item -> {
              if (item.equals("poison")) {
                throw new IllegalStateException("bean failed");
              }
              seen.add(item);
            });
    queue = new InboundQueue<>("test", 10, 1_000, 1);
    queue.attach(endpoints.batchInvoker());
    startWorkers(1);
    queue.offer("poison");
    queue.offer("after");
    waitUntil(() -> seen.contains("after"));
    assertEquals(1, queue.status().failed());
    assertEquals(1, queue.status().delivered());
  }

  @Test
  void stopEndsTheWorkers() throws Exception {
    queue = new InboundQueue<>("test", 10, 0, 1);
    queue.attach(new FakeEndpoints(1, item -> {}).batchInvoker());
    startWorkers(3);
    queue.stop();
    for (Thread worker : workers) {
      worker.join(2_000);
      assertFalse(worker.isAlive());
    }
    assertFalse(queue.offer("late"));
  }

  @Test
  void aWorkerTakesWhatWaitsUpToTheBatchSizeInOrder() throws Exception {
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    queue = new InboundQueue<>("test", 64, 0, 4);
    for (int i = 0; i < 10; i++) {
      assertTrue(queue.offer("item-" + i));
    }
    FakeEndpoints endpoints = new FakeEndpoints(1, seen::add);
    queue.attach(endpoints.batchInvoker());
    startWorkers(1);
    waitUntil(() -> seen.size() == 10);

    assertEquals(IntStream.range(0, 10).mapToObj(i -> "item-" + i).toList(), seen, "in order");
    assertEquals(
        List.of(
            "call [item-0, item-1, item-2, item-3]",
            "call [item-4, item-5, item-6, item-7]",
            "call [item-8, item-9]"),
        endpoints.calls.stream().filter(c -> c.startsWith("call")).toList(),
        "what waited, at most 4 to a delivery");
    waitUntil(() -> queue.status().delivered() == 10);
    assertEquals(3, endpoints.released.get(), "one endpoint per delivery");
  }

  @Test
  void itemsAnsweredHereAreShedFromTheirBatchAndTheRestDelivered() throws Exception {
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    queue = new InboundQueue<>("test", 64, 0, 8);
    queue.answerHere(item -> item.endsWith("busy"));
    for (String item : List.of("a", "b-busy", "c", "d-busy", "e")) {
      assertTrue(queue.offer(item));
    }
    queue.attach(new FakeEndpoints(1, seen::add).batchInvoker());
    startWorkers(1);
    waitUntil(() -> seen.size() == 3);

    assertEquals(List.of("a", "c", "e"), seen);
    waitUntil(() -> queue.status().delivered() == 3);
    assertEquals(2, queue.status().shed());
  }

  @Test
  void aBatchSizeOutOfRangeIsRefused() {
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> new InboundQueue<String>("test", 8, 0, 0));
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> new InboundQueue<String>("test", 8, 0, InboundQueue.MOST_BATCH + 1));
  }

  private void startWorkers(int count) {
    for (int i = 0; i < count; i++) {
      Thread worker = new Thread(queue::work, "worker-" + i);
      worker.start();
      workers.add(worker);
    }
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(10);
    }
  }
}
