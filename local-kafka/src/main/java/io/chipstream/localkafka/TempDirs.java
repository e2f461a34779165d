package io.chipstream.localkafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Temporary broker data folders: uniquely named under the JVM's temp folder (no fixed paths),
 * each marked with the pid of the JVM that owns it, so one left by a killed run is recognised and
 * removed, with any broker still running in it, by the next run.
 */
final class TempDirs {
  private static final Logger log = LoggerFactory.getLogger(TempDirs.class);
  static final String PREFIX = "chipstream-kafka-";
  static final String OWNER_PID = "owner.pid";
  static final String BROKER_PID = "broker.pid";
  /** A folder still being set up has no owner file yet; give its creator time to write it. */
  private static final Duration SETUP_GRACE = Duration.ofMinutes(1);

  private TempDirs() {}

  static Path create() {
    try {
      Path dir = Files.createTempDirectory(PREFIX);
      Files.writeString(dir.resolve(OWNER_PID), Long.toString(ProcessHandle.current().pid()),
          StandardCharsets.UTF_8);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary broker folder", e);
    }
  }

  /** Removes the folders of owners that are gone, killing brokers they left running. */
  static void sweepAbandoned() {
    sweepAbandoned(Path.of(System.getProperty("java.io.tmpdir")));
  }

  static void sweepAbandoned(Path tempRoot) {
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tempRoot, PREFIX + "*")) {
      for (Path dir : dirs) {
        if (Files.isDirectory(dir) && isAbandoned(dir)) {
          readPid(dir.resolve(BROKER_PID)).flatMap(ProcessHandle::of)
              .filter(TempDirs::isOurBroker)
              .ifPresent(orphan -> {
                log.warn("killing broker pid {} left behind by a dead run", orphan.pid());
                orphan.destroyForcibly();
              });
          log.info("removing abandoned broker folder {}", dir);
          delete(dir);
        }
      }
    } catch (IOException e) {
      log.debug("could not sweep {}", tempRoot, e);
    }
  }

  private static boolean isAbandoned(Path dir) throws IOException {
    Optional<Long> owner = readPid(dir.resolve(OWNER_PID));
    if (owner.isEmpty()) {
      FileTime modified = Files.getLastModifiedTime(dir);
      return modified.toInstant().isBefore(Instant.now().minus(SETUP_GRACE));
    }
    return ProcessHandle.of(owner.get()).map(h -> !h.isAlive()).orElse(true);
  }

  private static boolean isOurBroker(ProcessHandle handle) {
    return handle.isAlive() && handle.info().arguments()
        .map(args -> String.join(" ", args).contains(BrokerChildMain.class.getName()))
        .orElse(false);
  }

  private static Optional<Long> readPid(Path file) {
    try {
      return Optional.of(Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.deleteIfExists(path);
        } catch (IOException e) {
          log.debug("could not delete {}", path, e);
        }
      });
    } catch (IOException e) {
      log.warn("could not delete broker folder {}: {}", dir, e.toString());
    }
  }
}
