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
    queue = new InboundQueue<>("test", 64, 10_000);
    queue.attach(endpoints.invoker());
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
    queue = new InboundQueue<>("test", 10, 0);
    startWorkers(2);
    for (int i = 0; i < 10; i++) {
      assertTrue(queue.offer("early-" + i));
    }
    Thread.sleep(300);
    assertEquals(10, queue.status().depth(), "nothing taken without a bean");
    assertFalse(queue.status().endpointActive());
    queue.attach(new FakeEndpoints(4, seen::add).invoker());
    waitUntil(() -> seen.size() == 10);
    assertEquals(
        IntStream.range(0, 10).mapToObj(i -> "early-" + i).collect(Collectors.toSet()), seen);
  }

  @Test
  void aFullQueueWaitsThenDropsAndCounts() throws Exception {
    queue = new InboundQueue<>("test", 3, 50);
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
    queue = new InboundQueue<>("test", 10, 1_000);
    queue.attach(endpoints.invoker());
    startWorkers(1);
    queue.offer("poison");
    queue.offer("after");
    waitUntil(() -> seen.contains("after"));
    assertEquals(1, queue.status().failed());
    assertEquals(1, queue.status().delivered());
  }

  @Test
  void stopEndsTheWorkers() throws Exception {
    queue = new InboundQueue<>("test", 10, 0);
    queue.attach(new FakeEndpoints(1, item -> {}).invoker());
    startWorkers(3);
    queue.stop();
    for (Thread worker : workers) {
      worker.join(2_000);
      assertFalse(worker.isAlive());
    }
    assertFalse(queue.offer("late"));
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
