package org.kabar.adapter.transport;

/** Starts a long-running loop on a container-managed thread (the JCA WorkManager in production). */
@FunctionalInterface
public interface WorkLauncher {

  /**
   * Starts the loop.
   *
   * @param name names the loop in logs and thread dumps
   * @param loop the loop; it returns when its socket closes
   * @throws IllegalStateException if the container refused to run it
   */
  void launch(String name, Runnable loop);
}
