package org.kabar.adapter.inbound;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.lang.reflect.Method;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * Delivers one item to a message-driven bean, following the endpoint life cycle: {@code
 * createEndpoint}, {@code beforeDelivery}, the listener call, {@code afterDelivery}, and {@code
 * release} in all cases. When the bean pool is exhausted it waits and retries instead of dropping.
 *
 * @param <T> the inbound record type
 */
public final class EndpointInvoker<T> {

  private static final long MAX_BACKOFF_MILLIS = 50;

  private final MessageEndpointFactory factory;
  private final Method method;
  private final BiConsumer<Object, T> call;

  /**
   * @param factory the bean's endpoint factory, from endpoint activation
   * @param method the listener method, announced to the container before each delivery
   * @param call invokes the listener method on an endpoint
   */
  public EndpointInvoker(
      MessageEndpointFactory factory, Method method, BiConsumer<Object, T> call) {
    this.factory = factory;
    this.method = method;
    this.call = call;
  }

  /** The factory this invoker delivers to. */
  public MessageEndpointFactory factory() {
    return factory;
  }

  /**
   * Delivers one item.
   *
   * @param keepTrying asked between retries while the pool is exhausted; false gives up
   * @throws UnavailableException if the pool stayed exhausted until {@code keepTrying} said stop
   * @throws ResourceException if the container refused the delivery
   * @throws RuntimeException whatever the bean threw
   */
  public void deliver(T item, BooleanSupplier keepTrying)
      throws ResourceException, InterruptedException {
    MessageEndpoint endpoint = create(keepTrying);
    try {
      beforeDelivery(endpoint);
      try {
        call.accept(endpoint, item);
      } finally {
        endpoint.afterDelivery();
      }
    } finally {
      endpoint.release();
    }
  }

  private void beforeDelivery(MessageEndpoint endpoint) throws ResourceException {
    try {
      endpoint.beforeDelivery(method);
    } catch (NoSuchMethodException e) {
      throw new ResourceException("the bean lacks the listener method " + method.getName(), e);
    }
  }

  private MessageEndpoint create(BooleanSupplier keepTrying)
      throws UnavailableException, InterruptedException {
    long backoff = 1;
    while (true) {
      try {
        return factory.createEndpoint(null);
      } catch (UnavailableException exhausted) {
        if (!keepTrying.getAsBoolean()) {
          throw exhausted;
        }
        Thread.sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
      }
    }
  }
}
