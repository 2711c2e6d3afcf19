package org.kabar.protocol.peer;

import java.util.Objects;

/**
 * What both sides of a link agree on once HELLO and WELCOME have crossed: both challenges and both
 * node names. The proofs and the link's keys are computed over all four, so a proof made for one
 * link, one direction or one pair of names is worth nothing on another.
 *
 * @param helloNonce the opening side's challenge, from its HELLO
 * @param welcomeNonce the accepting side's challenge, from its WELCOME
 * @param openerNode the name in the HELLO
 * @param acceptorNode the name in the WELCOME
 */
public record HandshakeTranscript(
    String helloNonce, String welcomeNonce, String openerNode, String acceptorNode) {
  public HandshakeTranscript {
    Objects.requireNonNull(helloNonce, "helloNonce");
    Objects.requireNonNull(welcomeNonce, "welcomeNonce");
    Objects.requireNonNull(openerNode, "openerNode");
    Objects.requireNonNull(acceptorNode, "acceptorNode");
  }
}
