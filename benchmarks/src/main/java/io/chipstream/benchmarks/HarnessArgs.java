package io.chipstream.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The command line of a harness: {@code --flag}, {@code --name value}, and {@code --out FILE}. */
final class HarnessArgs {
  private final List<String> args;

  HarnessArgs(String[] args) {
    this.args = Arrays.asList(args);
  }

  boolean has(String flag) {
    return args.contains(flag);
  }

  String value(String name, String defaultValue) {
    int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : defaultValue;
  }

  int intValue(String name, int defaultValue) {
    String value = value(name, null);
    try {
      return value == null ? defaultValue : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " needs a whole number, not " + value);
    }
  }

  /** Every value of a repeatable option. */
  List<String> values(String name) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < args.size() - 1; i++) {
      if (args.get(i).equals(name)) {
        values.add(args.get(i + 1));
      }
    }
    return values;
  }

  /** Prints the report and, with {@code --out FILE}, writes it there; returns it. */
  String publish(String report) {
    System.out.println(report);
    String file = value("--out", null);
    if (file != null) {
      try {
        Files.writeString(Path.of(file), report, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file, e);
      }
    }
    return report;
  }
}
