package org.kabar.adapter.api;

import java.util.List;

/** Inbound contract for frames from peer servers; implemented by one message-driven bean. */
public interface PeerFrameListener {

  /**
   * Called with frames received on the peer links, in the order each link read them: live copies
   * many at a time (one thread, in order), the rest in smaller batches.
   */
  void onFrames(List<PeerMessage> messages);
}
