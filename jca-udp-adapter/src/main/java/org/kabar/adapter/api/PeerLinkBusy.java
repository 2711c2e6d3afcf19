package org.kabar.adapter.api;

import java.io.IOException;

/**
 * A peer link's outbox has no room: the peer reads more slowly than this server writes to it. The
 * link stays open and the peer is not taken for dead; what was refused is the caller's to retry, or
 * to leave to the next catch-up.
 */
public final class PeerLinkBusy extends IOException {

  private static final long serialVersionUID = 1L;

  public PeerLinkBusy(String message) {
    super(message);
  }
}
