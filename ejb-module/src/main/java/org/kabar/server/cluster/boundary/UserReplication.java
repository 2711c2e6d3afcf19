package org.kabar.server.cluster.boundary;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.util.Optional;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.protocol.peer.UserRecord;
import org.kabar.protocol.peer.UserRemoved;
import org.kabar.server.accounts.boundary.Accounts;
import org.kabar.server.accounts.entity.UserAccount;

/**
 * Registration and removal across the deployment (seed S3.2): a name is claimed on every active
 * server before it is registered here, and the new account (its password hash, never the password)
 * is sent at once to every active server.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class UserReplication {

  @EJB Accounts accounts;

  @EJB NameClaims claims;

  @EJB PeerBroadcast peers;

  /**
   * Registers a user if no server has the name, then tells every active server.
   *
   * @return empty on success, else why not
   */
  public Optional<ErrorCode> register(String username, String password) {
    if (accounts.exists(username)) {
      return Optional.of(ErrorCode.NAME_TAKEN);
    }
    Optional<ErrorCode> refused = claims.claimEverywhere(username);
    if (refused.isPresent()) {
      return refused;
    }
    try {
      Optional<ErrorCode> local = accounts.register(username, password);
      if (local.isPresent()) {
        return local;
      }
    } finally {
      claims.release(username);
    }
    UserAccount account = accounts.account(username).orElseThrow();
    peers.toActivePeers(
        new UserRecord(username, account.createdAt().toEpochMilli(), account.passwordHash()));
    return Optional.empty();
  }

  /** Tells every active server that an account was removed here. */
  public void removed(String username) {
    peers.toActivePeers(new UserRemoved(username));
  }
}
