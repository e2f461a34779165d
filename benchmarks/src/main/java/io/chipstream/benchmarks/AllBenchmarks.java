package io.chipstream.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Every benchmark in one run, one report: the machine (cores, memory, JDK, OS), the command, then
 * the JMH micro-benchmarks, the end-to-end harness, the app's memory and the state size.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.chipstream.benchmarks.AllBenchmarks
 *     [--out benchmarks/target/benchmark-report.md] [--quick]</pre>
 *
 * <p>{@code --quick} runs each part briefly (minutes, not the full half hour): for trying a
 * change, not for the numbers in BENCHMARKS.md.
 */
public final class AllBenchmarks {
  private AllBenchmarks() {}

  public static void main(String[] args) throws Exception {
    List<String> list = Arrays.asList(args);
    boolean quick = list.contains("--quick");
    int at = list.indexOf("--out");
    Path out = Path.of(at >= 0 && at + 1 < list.size() ? list.get(at + 1)
        : "benchmarks/target/benchmark-report.md");
    StringBuilder report = new StringBuilder("# Chipstream benchmark report\n\n");
    report.append(machine()).append("\nCommand: `java -cp benchmarks/target/benchmarks.jar ")
        .append(AllBenchmarks.class.getName()).append(args.length == 0 ? "" : " ")
        .append(String.join(" ", args)).append("`\n\n");

    report.append("## Micro (JMH)\n\n").append(micro(quick)).append('\n');
    write(out, report);
    report.append("## End to end\n\n").append(EndToEndBenchmark.report(quick
        ? new String[] {"--records", "50000", "--latency-seconds", "5", "--rounds", "1"}
        : new String[0]))
        .append('\n');
    write(out, report);
    report.append("## Memory\n\n").append(ResidentMemory.report(quick
        ? new String[] {"--seconds", "20"} : new String[0])).append('\n');
    write(out, report);
    report.append("## State size\n\n").append(StateGrowth.report(quick
        ? new String[] {"--minutes", "10"} : new String[0]));
    write(out, report);
    System.out.println("report written to " + out.toAbsolutePath());
    System.exit(0); // Kafka clients leave non-daemon threads behind
  }

  private static String micro(boolean quick) throws Exception {
    Collection<RunResult> results = new Runner(new OptionsBuilder()
        .include(AllBenchmarks.class.getPackageName() + ".*Benchmark")
        .exclude("EndToEnd")
        .warmupIterations(quick ? 1 : 3)
        .warmupTime(TimeValue.seconds(quick ? 1 : 2))
        .measurementIterations(quick ? 2 : 5)
        .measurementTime(TimeValue.seconds(quick ? 1 : 2))
        .forks(1)
        .build()).run();
    List<String> rows = new ArrayList<>();
    for (RunResult result : results) {
      var primary = result.getPrimaryResult();
      rows.add(String.format(Locale.ROOT, "| `%s` | %,.3f ± %,.3f %s |",
          result.getParams().getBenchmark().replace(AllBenchmarks.class.getPackageName() + ".",
              ""), primary.getScore(), primary.getScoreError(), primary.getScoreUnit()));
    }
    rows.sort(null);
    return "| benchmark | score |\n|---|---:|\n" + String.join("\n", rows) + "\n";
  }

  private static String machine() {
    long memory = 0;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          memory = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      memory = -1; // not Linux
    }
    return String.format(Locale.ROOT, "Run %s on %d cores, %s of memory, %s %s (%s), %s %s;"
            + " JVM options: %s.%n",
        Instant.now(), Runtime.getRuntime().availableProcessors(),
        memory > 0 ? String.format(Locale.ROOT, "%.1f GiB", memory / (1024.0 * 1024 * 1024))
            : "unknown",
        System.getProperty("java.vm.name"), System.getProperty("java.version"),
        System.getProperty("java.vendor"), System.getProperty("os.name"),
        System.getProperty("os.version"),
        ManagementFactory.getRuntimeMXBean().getInputArguments());
  }

  private static void write(Path out, StringBuilder report) throws IOException {
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    Files.writeString(out, report, StandardCharsets.UTF_8);
  }
}
