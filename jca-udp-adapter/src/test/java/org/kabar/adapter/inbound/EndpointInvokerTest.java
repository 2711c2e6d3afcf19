package org.kabar.adapter.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.resource.spi.UnavailableException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EndpointInvokerTest {

  @Test
  void deliveryFollowsTheEndpointLifeCycle() throws Exception {
    FakeEndpoints endpoints = new FakeEndpoints(1, item -> {});
    endpoints.invoker().deliver("a", () -> true);
    assertEquals(List.of("create", "before on", "call a", "after", "release"), endpoints.calls);
  }

  @Test
  void aThrowingBeanStillGetsAfterDeliveryAndRelease() {
    FakeEndpoints endpoints =
        new FakeEndpoints(
            1,
            item -> {
              throw new IllegalStateException("bean failed");
            });
    assertThrows(IllegalStateException.class, () -> endpoints.invoker().deliver("a", () -> true));
    assertEquals(List.of("create", "before on", "call a", "after", "release"), endpoints.calls);
  }

  @Test
  void anExhaustedPoolIsWaitedForNotDropped() throws Exception {
    FakeEndpoints endpoints = new FakeEndpoints(0, item -> {});
    AtomicInteger asked = new AtomicInteger();
    // the pool frees an instance after the invoker has been refused three times
    Thread freer =
        new Thread(
            () -> {
              while (endpoints.unavailable.get() < 3) {
                Thread.onSpinWait();
              }
              endpoints.new Endpoint().release();
            });
    freer.start();
    endpoints.invoker().deliver("a", () -> asked.incrementAndGet() < 1_000);
    freer.join();
    assertEquals(true, endpoints.calls.contains("call a"));
    assertEquals(true, endpoints.unavailable.get() >= 3);
  }

  @Test
  void givesUpOnAnExhaustedPoolOnlyWhenToldToStop() {
    FakeEndpoints endpoints = new FakeEndpoints(0, item -> {});
    AtomicInteger asked = new AtomicInteger();
    assertThrows(
        UnavailableException.class,
        () -> endpoints.invoker().deliver("a", () -> asked.incrementAndGet() < 3));
    assertEquals(3, endpoints.unavailable.get());
  }
}
