package org.kabar.protocol.peer;

/**
 * {@code BEAT <incarnation> <sequence>}: the sender is alive. Each server sends one about once a
 * second to every server of its list, over a link that carries nothing else (so that a beat never
 * waits behind copies of messages), and the receiver handles it as it reads it, in the adapter,
 * without a queue or a bean. {@code incarnation} grows with every start of the sender (its start
 * time in milliseconds), so a restart is told apart from a pause; {@code sequence} counts the beats
 * of one incarnation from 1.
 */
public record Beat(long incarnation, long sequence) implements PeerFrame {

  /** The largest number a frame carries (18 digits). */
  static final long MOST = 999_999_999_999_999_999L;

  public Beat {
    if (incarnation < 1 || sequence < 1 || incarnation > MOST || sequence > MOST) {
      throw new IllegalArgumentException("incarnation and sequence: 1 to 18 digits");
    }
  }
}
