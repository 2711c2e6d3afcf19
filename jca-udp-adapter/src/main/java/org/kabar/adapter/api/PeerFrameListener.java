package org.kabar.adapter.api;

/** Inbound contract for frames from peer servers; implemented by one message-driven bean. */
public interface PeerFrameListener {

  /** Called once for each frame received on any peer link. */
  void onFrame(PeerMessage message);
}
