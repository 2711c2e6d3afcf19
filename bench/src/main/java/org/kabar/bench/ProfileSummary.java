package org.kabar.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the time goes: reads a JFR recording of the node and prints the methods most often on top
 * of the sampled stacks, and the project's own methods most often anywhere on them. {@code
 * ProfileSummary FILE.jfr}
 */
public final class ProfileSummary {

  private ProfileSummary() {}

  public static void main(String[] args) throws IOException {
    Map<String, Integer> top = new HashMap<>();
    Map<String, Integer> ours = new HashMap<>();
    int samples = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample")
          || event.getStackTrace() == null) {
        continue;
      }
      List<RecordedFrame> frames = event.getStackTrace().getFrames();
      if (frames.isEmpty()) {
        continue;
      }
      samples++;
      top.merge(name(frames.get(0)), 1, Integer::sum);
      frames.stream()
          .map(ProfileSummary::name)
          .filter(n -> n.startsWith("org.kabar."))
          .distinct()
          .forEach(n -> ours.merge(n, 1, Integer::sum));
    }
    System.out.printf("%d execution samples%n%non top of the stack:%n", samples);
    print(top, samples);
    System.out.printf("%nthe project's methods on the stack (inclusive):%n");
    print(ours, samples);
  }

  private static String name(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  private static void print(Map<String, Integer> counts, int samples) {
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(20)
        .forEach(
            e ->
                System.out.printf(
                    "  %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, samples), e.getKey()));
  }
}
