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
 */
final class CpuShares {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final String applicationId;
  private final long brokerPid;
  private final Map<Long, Long> threadsAtStart;
  private final long brokerAtStart;

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
   * The CPU time since the start, read once.
   *
   * @param streamThreadNanos the stream threads' CPU time
   * @param perRecord each kind's, microseconds per record, for the run's log line
   */
  record Spent(long streamThreadNanos, String perRecord) {}

  Spent spent(long records) {
    Map<String, Long> kinds = byKind();
    long streamThreads = kinds.getOrDefault("stream threads", 0L);
    kinds.put("broker", brokerCpuNanos() - brokerAtStart);
    StringBuilder out = new StringBuilder();
    kinds.forEach((kind, nanos) -> out.append(out.isEmpty() ? "" : ", ").append(
        String.format(Locale.ROOT, "%s %.2f", kind, nanos / 1e3 / records)));
    return new Spent(streamThreads, "CPU µs per record: " + out);
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
      return "stream threads";
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
