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
    Map<String, Integer> layers = new HashMap<>();
    Map<String, Integer> threads = new HashMap<>();
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
      layers.merge(layer(frames), 1, Integer::sum);
      threads.merge(threadGroup(event), 1, Integer::sum);
      frames.stream()
          .map(ProfileSummary::name)
          .filter(n -> n.startsWith("org.kabar.") && !n.contains("__EJB31_Generated__"))
          .filter(n -> !n.contains("$$Lambda"))
          .distinct()
          .forEach(n -> ours.merge(n, 1, Integer::sum));
    }
    System.out.printf(
        "%d execution samples%n%nwhose code runs (the top frame; JDK code counts for its caller):%n",
        samples);
    print(layers, samples, 10);
    System.out.printf("%nwhich threads run (numbered threads of one kind together):%n");
    print(threads, samples, 12);
    System.out.printf("%non top of the stack:%n");
    print(top, samples, 20);
    System.out.printf("%nthe project's methods on the stack (inclusive):%n");
    print(ours, samples, 40);
  }

  /** The sampled thread's name without its number: the 16 delivery threads count as one kind. */
  static String threadGroup(RecordedEvent event) {
    var thread = event.getThread("sampledThread");
    String name = thread == null ? null : thread.getJavaName();
    return name == null ? "(unnamed)" : name.replaceAll("[-_ #]?\\d+", "-N");
  }

  /**
   * Which part of the node a sample's time belongs to: the library of the first frame that is not
   * the JDK's (so a hash-map lookup made by the EJB container counts for the container), except
   * that cryptography counts on its own.
   */
  static String layer(List<RecordedFrame> frames) {
    for (RecordedFrame frame : frames) {
      String type = frame.getMethod().getType().getName();
      if (type.startsWith("sun.security.") || type.startsWith("com.sun.crypto.")) {
        return "cryptography (token hashes, passwords)";
      }
      if (type.startsWith("org.apache.derby.")) {
        return "Derby (SQL, storage, log)";
      } else if (type.startsWith("org.eclipse.persistence.")) {
        return "EclipseLink (JPA)";
      } else if (type.startsWith("org.kabar.")) {
        return "Kabar's own code";
      } else if (type.startsWith("com.sun.")
          || type.startsWith("org.glassfish.")
          || type.startsWith("fish.payara.")
          || type.startsWith("org.jboss.weld.")
          || type.startsWith("org.jvnet.hk2.")
          || type.startsWith("com.hazelcast.")) {
        return "Payara (EJB, transactions, CDI, pools)";
      } else if (!type.startsWith("java.")
          && !type.startsWith("javax.")
          && !type.startsWith("jdk.")
          && !type.startsWith("sun.")) {
        return "other libraries";
      }
    }
    return "JDK only";
  }

  private static String name(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  private static void print(Map<String, Integer> counts, int samples, int lines) {
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(lines)
        .forEach(
            e ->
                System.out.printf(
                    "  %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, samples), e.getKey()));
  }
}
