package io.chipstream.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a run's CPU time went, per record: the app's threads by kind (stream threads, the
 * producers' and consumers' network threads, the rest) and the broker's whole process. On a
 * two-core machine the app and the broker share the cores, so a topology that costs the broker
 * more per record is slower even when its stream thread is not.
 *
 * <p>Counted twice: over the whole run, start-up included, and over its steady state, from a
 * {@link #mark} taken once a tenth of the output is out (as the rate is timed) to the end. A
 * topology's start-up (its internal topics, its stores, its rebalance) costs the app and the
 * broker far more than a pass-through's, and over a run of a second or two it is a large part
 * of the whole.
 */
final class CpuShares {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final String STREAM_THREADS = "stream threads";
  private static final String BROKER = "broker";

  private final String applicationId;
  private final long brokerPid;
  private final Map<Long, Long> threadsAtStart;
  private final long brokerAtStart;
  private Map<String, Long> kindsAtMark;
  private long recordsAtMark;

  private CpuShares(String applicationId, long brokerPid) {
    this.applicationId = applicationId;
    this.brokerPid = brokerPid;
    this.threadsAtStart = threadCpu();
    this.brokerAtStart = brokerCpuNanos();
  }

  /** Starts counting; the app's threads that exist now are not counted as the app's. */
  static CpuShares start(String applicationId, long brokerPid) {
    return new CpuShares(applicationId, brokerPid);
  }

  /**
   * Starts the steady state's count, once: the CPU time so far is left out of it.
   *
   * @param recordsSoFar the run's output records so far
   */
  void mark(long recordsSoFar) {
    if (kindsAtMark == null) {
      kindsAtMark = withBroker(byKind());
      recordsAtMark = recordsSoFar;
    }
  }

  boolean marked() {
    return kindsAtMark != null;
  }

  /**
   * The CPU time since the start, and since the mark, read once.
   *
   * @param streamThreadNanos the stream threads' CPU time since the start
   * @param steadyStreamMicros the stream threads' CPU time per record since the mark (NaN
   *     without one)
   * @param steadyTotalMicros the app's and the broker's CPU time per record since the mark,
   *     all kinds together (NaN without one)
   * @param perRecord each kind's, microseconds per record, for the run's log line
   */
  record Spent(long streamThreadNanos, double steadyStreamMicros, double steadyTotalMicros,
      String perRecord) {}

  Spent spent(long records) {
    Map<String, Long> kinds = withBroker(byKind());
    long streamThreads = kinds.getOrDefault(STREAM_THREADS, 0L);
    StringBuilder out = new StringBuilder("CPU µs per record: ");
    append(out, kinds, Map.of(), records);
    double steadyStream = Double.NaN;
    double steadyTotal = Double.NaN;
    long steadyRecords = records - recordsAtMark;
    if (kindsAtMark != null && steadyRecords > 0) {
      out.append("; after the first tenth: ");
      append(out, kinds, kindsAtMark, steadyRecords);
      steadyStream = (streamThreads - kindsAtMark.getOrDefault(STREAM_THREADS, 0L)) / 1e3
          / steadyRecords;
      long total = 0;
      for (Map.Entry<String, Long> kind : kinds.entrySet()) {
        total += kind.getValue() - kindsAtMark.getOrDefault(kind.getKey(), 0L);
      }
      steadyTotal = total / 1e3 / steadyRecords;
      out.append(String.format(Locale.ROOT, ", all %.2f", steadyTotal));
    }
    return new Spent(streamThreads, steadyStream, steadyTotal, out.toString());
  }

  private static void append(StringBuilder out, Map<String, Long> kinds, Map<String, Long> from,
      long records) {
    String separator = "";
    for (Map.Entry<String, Long> kind : kinds.entrySet()) {
      long nanos = kind.getValue() - from.getOrDefault(kind.getKey(), 0L);
      out.append(separator).append(String.format(Locale.ROOT, "%s %.2f", kind.getKey(),
          nanos / 1e3 / records));
      separator = ", ";
    }
  }

  private Map<String, Long> withBroker(Map<String, Long> kinds) {
    kinds.put(BROKER, brokerCpuNanos() - brokerAtStart);
    return kinds;
  }

  private Map<String, Long> byKind() {
    Map<String, Long> kinds = new TreeMap<>();
    for (ThreadInfo thread : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (thread == null || !thread.getThreadName().contains(applicationId + "-")) {
        continue;
      }
      long cpu = THREADS.getThreadCpuTime(thread.getThreadId());
      if (cpu < 0) {
        continue;
      }
      cpu -= threadsAtStart.getOrDefault(thread.getThreadId(), 0L);
      kinds.merge(kind(thread.getThreadName()), cpu, Long::sum);
    }
    return new LinkedHashMap<>(kinds);
  }

  /**
   * Kafka Streams names its threads {@code <application.id>-<process id>-StreamThread-<n>}, and
   * the clients' network threads carry their client id, which starts with the thread's name.
   */
  private static String kind(String name) {
    if (name.startsWith("kafka-producer-network-thread")) {
      return "producer I/O";
    }
    if (name.startsWith("kafka-coordinator-heartbeat-thread")
        || name.startsWith("consumer_background_thread")) {
      return "consumer background";
    }
    if (name.matches(".*-StreamThread-\\d+$")) {
      return STREAM_THREADS;
    }
    return "other app threads";
  }

  private static Map<Long, Long> threadCpu() {
    Map<Long, Long> cpu = new java.util.HashMap<>();
    for (long id : THREADS.getAllThreadIds()) {
      long nanos = THREADS.getThreadCpuTime(id);
      if (nanos >= 0) {
        cpu.put(id, nanos);
      }
    }
    return cpu;
  }

  private long brokerCpuNanos() {
    return ProcessHandle.of(brokerPid).flatMap(p -> p.info().totalCpuDuration())
        .map(Duration::toNanos).orElse(0L);
  }
}
