package io.chipstream.producers.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads request traces in the {@code TIMESTAMP,ContextTokens,GeneratedTokens} format of the
 * Azure LLM inference trace. Timestamps are UTC, {@code yyyy-MM-dd HH:mm:ss[.fraction]} or ISO
 * instants. A bad row is an error naming its line, unless bad rows are to be skipped, when they
 * are counted instead.
 */
public final class TraceCsv {
  public static final String HEADER = "TIMESTAMP,ContextTokens,GeneratedTokens";
  /** The trace bundled with Chipstream (see {@code trace/README.md}). */
  public static final String BUILT_IN = "trace/azure-llm-conv-2023.csv";
  private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd HH:mm:ss")
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
      .toFormatter();

  private TraceCsv() {}

  /**
   * The rows of a trace, and how many bad rows were skipped.
   *
   * @param rows the good rows in file order
   * @param skipped bad rows skipped
   * @param firstSkipped the first skipped row's problem, or null
   */
  public record Trace(List<TraceRow> rows, int skipped, String firstSkipped) {}

  public static Trace read(Path file, boolean skipBadRows) {
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(reader, file.toString(), skipBadRows);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read trace " + file, e);
    }
  }

  /** The bundled Azure trace. */
  public static Trace builtIn() {
    try (InputStream in = TraceCsv.class.getClassLoader().getResourceAsStream(BUILT_IN)) {
      if (in == null) {
        throw new IllegalStateException(BUILT_IN + " is missing from the classpath");
      }
      return read(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)),
          BUILT_IN, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Trace read(BufferedReader reader, String source, boolean skipBadRows)
      throws IOException {
    String header = reader.readLine();
    if (header == null || !header.replace("\uFEFF", "").trim().equalsIgnoreCase(HEADER)) {
      throw new TraceFormatException(source, 1, "expected the header " + HEADER);
    }
    List<TraceRow> rows = new ArrayList<>();
    int skipped = 0;
    String firstSkipped = null;
    int lineNumber = 1;
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      try {
        rows.add(row(line, lineNumber));
      } catch (IllegalArgumentException | DateTimeParseException e) {
        String problem = source + " line " + lineNumber + ": " + e.getMessage();
        if (!skipBadRows) {
          throw new TraceFormatException(source, lineNumber, e.getMessage()
              + " (use --skip-bad-rows to skip such rows)");
        }
        skipped++;
        if (firstSkipped == null) {
          firstSkipped = problem;
        }
      }
    }
    if (rows.isEmpty()) {
      throw new TraceFormatException(source, lineNumber, "no usable rows");
    }
    return new Trace(List.copyOf(rows), skipped, firstSkipped);
  }

  private static TraceRow row(String line, int lineNumber) {
    String[] cells = line.split(",", -1);
    if (cells.length != 3) {
      throw new IllegalArgumentException("expected 3 columns, found " + cells.length);
    }
    Instant arrival = timestamp(cells[0].trim());
    int context = tokens(cells[1].trim(), "ContextTokens");
    int generated = tokens(cells[2].trim(), "GeneratedTokens");
    return new TraceRow(arrival, context, generated, lineNumber);
  }

  private static Instant timestamp(String text) {
    if (text.contains("T")) {
      return Instant.parse(text);
    }
    try {
      return LocalDateTime.parse(text, TIMESTAMP).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("TIMESTAMP '" + text
          + "' is not yyyy-MM-dd HH:mm:ss[.fraction]");
    }
  }

  private static int tokens(String text, String column) {
    try {
      int value = Integer.parseInt(text);
      if (value < 0) {
        throw new IllegalArgumentException(column + " " + value + " is negative");
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(column + " '" + text + "' is not a whole number");
    }
  }
}
