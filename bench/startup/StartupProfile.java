import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * The start-up profile's two tables (bench/startup-profile.sh), as Markdown:
 *
 * <ul>
 *   <li>{@code samples CUTOFF_EPOCH_MS:FILE.jfr...}: JFR recordings of cold starts. Every execution
 *       sample taken before that start's first 200 is charged to one library, the one nearest the
 *       top of its stack other than the JDK and Micronaut's core (so a JDK call made for Micrometer
 *       counts as Micrometer's, and Micronaut's context keeps only what it does itself); the JIT's
 *       compilations and the GC pauses are added from their own events.
 *   <li>{@code classes FILE}: a {@code -Xlog:class+load} log of one start: the classes loaded before
 *       the first 200, by library, and how many came from the JDK's AOT cache.
 * </ul>
 */
public final class StartupProfile {
  /** Package prefix to library, most specific first. */
  private static final Map<String, String> LIBRARIES = new LinkedHashMap<>();

  static {
    LIBRARIES.put("dev.predictfn.", "this service (dev.predictfn)");
    LIBRARIES.put("org.tribuo.", "Tribuo, OLCUT, protobuf (the model)");
    LIBRARIES.put("com.oracle.labs.mlrg.olcut.", "Tribuo, OLCUT, protobuf (the model)");
    LIBRARIES.put("com.google.protobuf.", "Tribuo, OLCUT, protobuf (the model)");
    LIBRARIES.put("ai.onnx.", "Tribuo, OLCUT, protobuf (the model)");
    LIBRARIES.put("reactor.", "Reactor (the health endpoint's aggregation)");
    LIBRARIES.put("io.micronaut.reactor.", "Reactor (the health endpoint's aggregation)");
    LIBRARIES.put("com.google.cloud.", "Micronaut GCP");
    LIBRARIES.put("io.micronaut.configuration.metrics.", "Micrometer and its binders");
    LIBRARIES.put("io.micrometer.", "Micrometer and its binders");
    LIBRARIES.put("io.prometheus.", "Micrometer and its binders");
    LIBRARIES.put("io.micronaut.management.", "management endpoints (health, info)");
    LIBRARIES.put("io.micronaut.health.", "management endpoints (health, info)");
    LIBRARIES.put("io.micronaut.openapi.", "OpenAPI, Swagger UI");
    LIBRARIES.put("io.swagger.", "OpenAPI, Swagger UI");
    LIBRARIES.put("io.micronaut.validation.", "validation");
    LIBRARIES.put("jakarta.validation.", "validation");
    LIBRARIES.put("io.micronaut.serde.", "serde, Jackson");
    LIBRARIES.put("io.micronaut.jackson.", "serde, Jackson");
    LIBRARIES.put("io.micronaut.json.", "serde, Jackson");
    LIBRARIES.put("com.fasterxml.jackson.", "serde, Jackson");
    LIBRARIES.put("ch.qos.logback.", "Logback, SLF4J");
    LIBRARIES.put("org.slf4j.", "Logback, SLF4J");
    LIBRARIES.put("io.micronaut.gcp.", "Micronaut GCP");
    LIBRARIES.put("io.micronaut.http.server.netty.", "Netty and Micronaut's HTTP server");
    LIBRARIES.put("io.netty.", "Netty and Micronaut's HTTP server");
    LIBRARIES.put("io.micronaut.http.", "Micronaut HTTP (routing, filters, binding)");
    LIBRARIES.put("io.micronaut.web.", "Micronaut HTTP (routing, filters, binding)");
    LIBRARIES.put("io.micronaut.scheduling.", "Micronaut HTTP (routing, filters, binding)");
    LIBRARIES.put("dev.predictfn.aot.", "Micronaut AOT's generated code");
    LIBRARIES.put("io.micronaut.", "Micronaut core (context, bean definitions, config)");
    LIBRARIES.put("io.micronaut.core.", "Micronaut core (context, bean definitions, config)");
  }

  private static final String JDK = "the JDK (class loading, reflection, start of the VM)";
  private static final String CORE = "Micronaut core (context, bean definitions, config)";

  private StartupProfile() {}

  public static void main(String[] args) throws IOException {
    if (args.length >= 2 && args[0].equals("samples")) {
      samples(java.util.Arrays.copyOfRange(args, 1, args.length));
    } else if (args.length == 2 && args[0].equals("classes")) {
      classes(Path.of(args[1]));
    } else {
      System.err.println(
          "usage: StartupProfile samples CUTOFF_EPOCH_MS:FILE.jfr... | classes CLASS_LOAD_LOG");
      System.exit(2);
    }
  }

  /** Lines of -Xlog:class+load: "[0.072s] java.lang.Object source: shared objects file". */
  private static void classes(Path log) throws IOException {
    Map<String, long[]> byLibrary = new TreeMap<>();
    long total = 0;
    long cached = 0;
    for (String line : java.nio.file.Files.readAllLines(log)) {
      int source = line.indexOf(" source: ");
      int name = line.indexOf("] ");
      if (!line.startsWith("[") || source < 0 || name < 0 || name > source) {
        continue;
      }
      String className = line.substring(name + 2, source).trim();
      boolean fromCache = line.endsWith("shared objects file");
      String library = library(className);
      if (library == null) {
        library = className.startsWith("java.") || className.startsWith("jdk.")
                || className.startsWith("sun.") || className.startsWith("javax.")
                || className.startsWith("com.sun.")
            ? "the JDK"
            : "other";
      }
      long[] counts = byLibrary.computeIfAbsent(library, k -> new long[2]);
      counts[0]++;
      total++;
      if (fromCache) {
        counts[1]++;
        cached++;
      }
    }
    System.out.println("| Library | Classes loaded | of which from the AOT cache |");
    System.out.println("| --- | --- | --- |");
    List<Map.Entry<String, long[]>> sorted = new ArrayList<>(byLibrary.entrySet());
    sorted.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
    for (Map.Entry<String, long[]> entry : sorted) {
      System.out.printf(
          "| %s | %d | %d |%n", entry.getKey(), entry.getValue()[0], entry.getValue()[1]);
    }
    System.out.printf("| All | %d | %d |%n", total, cached);
  }

  private static void samples(String[] args) throws IOException {
    Map<String, Long> samples = new TreeMap<>();
    Map<String, Long> threads = new TreeMap<>();
    long total = 0;
    double compileMs = 0;
    double gcMs = 0;
    int compilations = 0;
    for (String arg : args) {
      int colon = arg.indexOf(':');
      Instant cutoff = Instant.ofEpochMilli(Long.parseLong(arg.substring(0, colon)));
      for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(arg.substring(colon + 1)))) {
        if (event.getStartTime().isAfter(cutoff)) {
          continue;
        }
        switch (event.getEventType().getName()) {
          case "jdk.ExecutionSample" -> {
            if (event.getStackTrace() == null) {
              continue;
            }
            samples.merge(owner(event.getStackTrace().getFrames()), 1L, Long::sum);
            threads.merge(threadGroup(event.getThread("sampledThread").getJavaName()), 1L, Long::sum);
            total++;
          }
          case "jdk.Compilation" -> {
            compileMs += event.getDuration().toNanos() / 1e6;
            compilations++;
          }
          case "jdk.GarbageCollection" -> gcMs += event.getDuration().toNanos() / 1e6;
          default -> {}
        }
      }
    }
    int starts = args.length;
    System.out.println("| Library (frame nearest the top of the stack) | Share of Java samples |");
    System.out.println("| --- | --- |");
    List<Map.Entry<String, Long>> sorted = new ArrayList<>(samples.entrySet());
    sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    for (Map.Entry<String, Long> entry : sorted) {
      System.out.printf("| %s | %.0f%% |%n", entry.getKey(), 100.0 * entry.getValue() / total);
    }
    System.out.printf("| (Java samples over %d starts, 1 ms period) | %d |%n", starts, total);
    System.out.println();
    StringBuilder byThread = new StringBuilder();
    long all = total;
    threads.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(
            e ->
                byThread.append(
                    String.format(
                        "%s%s %.0f%%",
                        byThread.isEmpty() ? "" : ", ", e.getKey(), 100.0 * e.getValue() / all)));
    System.out.println("Samples by thread: " + byThread + ".");
    System.out.printf(
        "Per start, besides the Java threads: the JIT compiled %d methods in %.0f ms of compiler"
            + " threads' time, and GC pauses took %.0f ms.%n",
        compilations / starts, compileMs / starts, gcMs / starts);
  }

  /** The library charged for a sample: the top-most frame outside the JDK and Micronaut core. */
  private static String owner(List<RecordedFrame> frames) {
    boolean core = false;
    for (RecordedFrame frame : frames) {
      if (!frame.isJavaFrame()) {
        continue;
      }
      String library = library(frame.getMethod().getType().getName());
      if (library == null) {
        continue;
      }
      if (library.equals(CORE)) {
        core = true;
        continue;
      }
      return library;
    }
    return core ? CORE : JDK;
  }

  private static String library(String className) {
    // Bean definitions and introspections are generated into each bean's package, and main() is
    // the root of every start-up stack: what runs in them is Micronaut's context at work.
    if (className.contains("$Definition")
        || className.contains("$Introspection")
        || className.equals("dev.predictfn.Application")) {
      return CORE;
    }
    // The longest matching prefix wins (dev.predictfn.aot. before dev.predictfn.).
    String best = null;
    int length = 0;
    for (Map.Entry<String, String> entry : LIBRARIES.entrySet()) {
      if (className.startsWith(entry.getKey()) && entry.getKey().length() > length) {
        best = entry.getValue();
        length = entry.getKey().length();
      }
    }
    return best;
  }

  private static String threadGroup(String name) {
    if (name == null) {
      return "other";
    }
    if (name.equals("main")) {
      return "main";
    }
    if (name.startsWith("default-nioEventLoopGroup") || name.contains("EventLoop")) {
      return "Netty event loops";
    }
    return name.replaceAll("[-#]?\\d+$", "");
  }
}
