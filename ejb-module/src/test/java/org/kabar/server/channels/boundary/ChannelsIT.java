package org.kabar.server.channels.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kabar.protocol.auth.Scram;
import org.kabar.protocol.client.ErrorCode;
import org.kabar.server.ArquillianDeployments;
import org.kabar.server.accounts.boundary.Accounts;

/** Channels against real JPA on Derby in Payara Micro. */
@ExtendWith(ArquillianExtension.class)
class ChannelsIT {

  @Deployment
  static WebArchive deployment() {
    return ArquillianDeployments.node();
  }

  @Inject Channels channels;

  @Inject Accounts accounts;

  @BeforeEach
  void users() {
    for (String user : List.of("adi", "bayu", "candra")) {
      accounts.register(user, Scram.keysFor("password-1", Scram.MIN_ITERATIONS));
    }
  }

  @Test
  void theCreatorIsTheFirstMemberAndNamesAreUnique() {
    assertEquals(Optional.empty(), channels.create("#one", "adi"));
    assertEquals(Optional.of(List.of("adi")), channels.members("#one", "adi"));
    assertEquals(Optional.of(ErrorCode.NAME_TAKEN), channels.create("#one", "bayu"));
  }

  @Test
  void onlyInvitedUsersJoinAndOnlyMembersSeeTheMembers() {
    channels.create("#two", "adi");
    assertEquals(Optional.of(ErrorCode.NO_SUCH_CHANNEL), channels.join("#two", "bayu"));
    assertEquals(Optional.empty(), channels.members("#two", "bayu"));
    assertEquals(Optional.empty(), channels.invite("#two", "adi", "bayu"));
    assertEquals(Optional.of(List.of("adi")), channels.members("#two", "adi"), "invited only");
    assertEquals(Optional.empty(), channels.join("#two", "bayu"));
    assertEquals(Optional.of(List.of("adi", "bayu")), channels.members("#two", "bayu"));
    assertEquals(Optional.of(ErrorCode.NO_SUCH_USER), channels.invite("#two", "bayu", "ghost"));
    assertEquals(
        Optional.of(ErrorCode.NO_SUCH_CHANNEL), channels.invite("#two", "candra", "candra"));
  }

  @Test
  void onlyTheCreatorRemovesMembersAndMembersLeave() {
    channels.create("#three", "adi");
    channels.invite("#three", "adi", "bayu");
    channels.invite("#three", "adi", "candra");
    channels.join("#three", "bayu");
    channels.join("#three", "candra");
    assertEquals(Optional.of(ErrorCode.NOT_ALLOWED), channels.kick("#three", "bayu", "candra"));
    assertEquals(Optional.empty(), channels.kick("#three", "adi", "candra"));
    assertEquals(
        Optional.of(ErrorCode.NO_SUCH_CHANNEL), channels.requireMember("#three", "candra"));
    assertEquals(Optional.empty(), channels.leave("#three", "bayu"));
    assertEquals(Optional.of(List.of("adi")), channels.members("#three", "adi"));
    assertTrue(channels.leave("#three", "bayu").isPresent(), "leaving twice is refused");
  }
}
