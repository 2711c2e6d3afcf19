package org.kabar.adapter.api;

/** The lanes of a peer link's outbox: live frames always leave before catch-up frames. */
public enum PeerLane {
  /** What just changed, and what callers wait on: never waits for room, refused when full. */
  LIVE,
  /** What a server missed, and the periodic copy: waits for room, paced by the peer. */
  CATCH_UP
}
