package io.chipstream.localkafka;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A child JVM's classpath in a {@code java @file} argument file: a test run's classpath is too
 * long for a command line. Entries are made absolute, so the child may run in any folder.
 */
public final class ClasspathArgFile {
  private ClasspathArgFile() {}

  /** Writes {@code -cp <classpath>} to {@code file}; returns the {@code @file} argument. */
  public static String write(Path file, String classpath) {
    String absolute = Arrays.stream(classpath.split(File.pathSeparator))
        .filter(entry -> !entry.isEmpty())
        .map(entry -> Path.of(entry).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
    String quoted = "\"" + absolute.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    try {
      Files.writeString(file, "-cp\n" + quoted + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return "@" + file;
  }
}
