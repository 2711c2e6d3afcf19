package org.kabar.server.cluster.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.LongAdder;
import org.kabar.protocol.peer.ChannelRecord;
import org.kabar.protocol.peer.MemberRecord;
import org.kabar.protocol.peer.MessageRecord;
import org.kabar.protocol.peer.PeerFrame;
import org.kabar.protocol.peer.SessionRecord;
import org.kabar.protocol.peer.Via;

/**
 * How many copies this server has sent to other servers since it started, by kind: what one update
 * costs on the links (each update should reach each other server once, N-1 frames).
 */
@ApplicationScoped
public class CopiesSent {

  private final LongAdder messages = new LongAdder();
  private final LongAdder sessions = new LongAdder();
  private final LongAdder channels = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final LongAdder confirmed = new LongAdder();
  private final LongAdder unconfirmed = new LongAdder();

  /** Counts the messages of a batch a second server confirmed in time, and those it did not. */
  public void confirmations(int inTime, int late) {
    confirmed.add(inTime);
    unconfirmed.add(late);
  }

  /** Messages confirmed on a second disk in time ({@code STORED}), since the start. */
  public long confirmed() {
    return confirmed.sum();
  }

  /** Messages whose second copy was not confirmed in time, since the start. */
  public long unconfirmed() {
    return unconfirmed.sum();
  }

  /** Counts frames a slow server's link had no room for: not sent. */
  public void refused(int frames) {
    refused.add(frames);
  }

  /** Frames not sent because a server's link had no room, since the start. */
  public long refused() {
    return refused.sum();
  }

  /** Counts one frame sent to one server. */
  public void sent(PeerFrame frame) {
    PeerFrame copy = frame instanceof Via via ? via.frame() : frame;
    if (copy instanceof MessageRecord) {
      messages.increment();
    } else if (copy instanceof SessionRecord) {
      sessions.increment();
    } else if (copy instanceof ChannelRecord || copy instanceof MemberRecord) {
      channels.increment();
    }
  }

  public long messages() {
    return messages.sum();
  }

  public long sessions() {
    return sessions.sum();
  }

  public long channels() {
    return channels.sum();
  }
}
