package org.kabar.protocol.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SessionProofsTest {

  private static final String TOKEN = "q3FrK9x2LmPwZ8aB7cD1eF";

  @Test
  void aServerHoldingTheHashProvesAMoveTheClientCanCheck() {
    String hash = SessionProofs.tokenHash(TOKEN);
    assertEquals(64, hash.length());
    String proof = SessionProofs.moveProof(hash, "127.0.0.22:4999");
    assertEquals(22, proof.length());
    assertTrue(SessionProofs.validMove(TOKEN, "127.0.0.22:4999", proof));
  }

  @Test
  void aProofIsForOneServerAndOneSessionOnly() {
    String proof = SessionProofs.moveProof(SessionProofs.tokenHash(TOKEN), "127.0.0.22:4999");
    assertFalse(SessionProofs.validMove(TOKEN, "127.0.0.66:4999", proof));
    assertFalse(SessionProofs.validMove("someoneElsesToken00000", "127.0.0.22:4999", proof));
    assertFalse(SessionProofs.validMove(TOKEN, "127.0.0.22:4999", "x"));
  }
}
