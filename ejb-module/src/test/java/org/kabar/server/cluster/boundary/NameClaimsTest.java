package org.kabar.server.cluster.boundary;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Most of the listed servers, this one included, must take part in a registration. */
class NameClaimsTest {

  @Test
  void moreThanHalfOfTheListedServersIsAMajority() {
    assertTrue(NameClaims.majority(1, 1), "a server alone registers alone");
    assertFalse(NameClaims.majority(1, 2), "of two, one is not most: a majority of 2 is 2");
    assertTrue(NameClaims.majority(2, 2));
    assertFalse(NameClaims.majority(1, 3), "the one cut off from the other two");
    assertTrue(NameClaims.majority(2, 3), "the two on the other side");
    assertFalse(NameClaims.majority(2, 4), "an even split: neither side");
    assertTrue(NameClaims.majority(3, 4));
    assertTrue(NameClaims.majority(3, 5));
    assertFalse(NameClaims.majority(2, 5));
  }
}
