package org.kabar.server.accounts.control;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kabar.server.node.NodeSettings;

class KnownUsersTest {

  private static KnownUsers users(boolean embedded) {
    KnownUsers users = new KnownUsers();
    users.settings =
        new NodeSettings() {
          @Override
          public boolean embeddedDatabase() {
            return embedded;
          }
        };
    return users; // no transaction registry: a change takes effect at once only
  }

  @Test
  void aNameFoundRegisteredIsKnown() {
    KnownUsers users = users(true);
    users.remember("alice", users.generation());
    assertTrue(users.known("alice"));
    assertFalse(users.known("bob"), "never looked up");
  }

  @Test
  void aRemovedAccountForgetsEveryName() {
    KnownUsers users = users(true);
    users.remember("alice", users.generation());
    users.changed();
    assertFalse(users.known("alice"));
  }

  @Test
  void aNameReadBeforeAChangeIsNotRemembered() {
    KnownUsers users = users(true);
    long readAt = users.generation();
    users.changed(); // alice unregistered while her name was being read
    users.remember("alice", readAt);
    assertFalse(users.known("alice"));
  }

  @Test
  void offOnADatabaseSharedWithOtherServers() {
    KnownUsers users = users(false);
    users.remember("alice", users.generation());
    assertFalse(users.known("alice"));
  }
}
