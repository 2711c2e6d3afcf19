package org.kabar.server.accounts.control;

/**
 * Whether an account has logged in from an address before: its owner's addresses are not held to
 * the waits that failures with its name impose on everyone else ({@link LoginThrottle}). Answered
 * by whoever keeps the sessions, so that the accounts need not know them.
 */
@FunctionalInterface
public interface AddressHistory {

  /** The answer for a node that knows nothing of past sessions. */
  AddressHistory NONE = (username, address) -> false;

  /** Whether {@code username} has had a session at {@code address} (an IP address, as text). */
  boolean loggedInFrom(String username, String address);
}
