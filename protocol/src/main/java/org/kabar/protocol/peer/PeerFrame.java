package org.kabar.protocol.peer;

/** One frame of the server-to-server protocol. */
public sealed interface PeerFrame
    permits Ping,
        Pong,
        PeerError,
        Hello,
        Welcome,
        Proof,
        Announce,
        Claim,
        Claimed,
        Unclaim,
        AskClaim,
        UserRecord,
        UserRemoved,
        MessageRecord,
        SessionRecord,
        SyncRequest,
        ChannelRecord,
        MemberRecord,
        LoadQuery,
        Load,
        Beat,
        Via,
        StoredCopies {}
