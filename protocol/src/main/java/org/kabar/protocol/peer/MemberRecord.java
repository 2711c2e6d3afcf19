package org.kabar.protocol.peer;

import java.util.Objects;

/**
 * {@code MEMBER <channel> <user> invited|joined|gone <revision>}: a user's place in a channel, sent
 * at every invitation, join, leave and removal; the higher revision wins.
 */
public record MemberRecord(String channel, String user, State state, long revision)
    implements PeerFrame {

  /** Where the user stands. */
  public enum State {
    INVITED,
    JOINED,
    GONE
  }

  public MemberRecord {
    Objects.requireNonNull(channel);
    Objects.requireNonNull(user);
    Objects.requireNonNull(state);
  }
}
