package org.kabar.adapter.inbound;

import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.transaction.xa.XAResource;

/**
 * A fake endpoint factory standing in for the container's message-driven bean pool: a fixed number
 * of instances, {@code createEndpoint} failing with {@link UnavailableException} when all are in
 * use, and a log of every life-cycle call.
 */
final class FakeEndpoints implements MessageEndpointFactory {

  final List<String> calls = new CopyOnWriteArrayList<>();
  final AtomicInteger unavailable = new AtomicInteger();
  final AtomicInteger released = new AtomicInteger();
  private final Semaphore pool;
  private final Consumer<String> listener;

  FakeEndpoints(int poolSize, Consumer<String> listener) {
    this.pool = new Semaphore(poolSize);
    this.listener = listener;
  }

  /** The listener interface the fake bean implements. */
  interface Listener {
    void on(String item);

    void onAll(List<String> items);
  }

  final class Endpoint implements MessageEndpoint, Listener {
    @Override
    public void on(String item) {
      calls.add("call " + item);
      listener.accept(item);
    }

    @Override
    public void onAll(List<String> items) {
      calls.add("call " + items);
      items.forEach(listener);
    }

    @Override
    public void beforeDelivery(Method method) {
      calls.add("before " + method.getName());
    }

    @Override
    public void afterDelivery() {
      calls.add("after");
    }

    @Override
    public void release() {
      calls.add("release");
      released.incrementAndGet();
      pool.release();
    }
  }

  static Method method() {
    try {
      return Listener.class.getMethod("on", String.class);
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e);
    }
  }

  EndpointInvoker<String> invoker() {
    return new EndpointInvoker<>(
        this, method(), (endpoint, item) -> ((Listener) endpoint).on(item));
  }

  /** Delivers a queue's batches to {@code onAll}. */
  EndpointInvoker<List<String>> batchInvoker() {
    try {
      return new EndpointInvoker<>(
          this,
          Listener.class.getMethod("onAll", List.class),
          (endpoint, items) -> ((Listener) endpoint).onAll(items));
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public MessageEndpoint createEndpoint(XAResource xaResource) throws UnavailableException {
    if (!pool.tryAcquire()) {
      unavailable.incrementAndGet();
      throw new UnavailableException("pool exhausted");
    }
    calls.add("create");
    return new Endpoint();
  }

  @Override
  public MessageEndpoint createEndpoint(XAResource xaResource, long timeout)
      throws UnavailableException {
    return createEndpoint(xaResource);
  }

  @Override
  public boolean isDeliveryTransacted(Method method) {
    return false;
  }

  @Override
  public String getActivationName() {
    return "fake";
  }

  @Override
  public Class<?> getEndpointClass() {
    return Endpoint.class;
  }
}
