package io.chipstream.reliability;

import java.net.http.HttpResponse;
import java.util.List;

/** The app's {@code /metrics} (Prometheus text), read as a test needs it. */
final class Metrics {
  private final List<String> lines;

  private Metrics(List<String> lines) {
    this.lines = lines;
  }

  static Metrics scrape(AppProcess app) {
    HttpResponse<String> response = app.get("/metrics");
    if (response.statusCode() != 200) {
      throw new AssertionError("/metrics answered " + response.statusCode());
    }
    return new Metrics(response.body().lines().filter(l -> !l.startsWith("#")).toList());
  }

  /** The sum of every series of {@code name} whose labels contain each of {@code labels}. */
  double sum(String name, String... labels) {
    double sum = 0;
    boolean found = false;
    for (String line : lines) {
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      String metric = brace > 0 ? line.substring(0, brace) : line.substring(0, space);
      if (!metric.equals(name)) {
        continue;
      }
      String labelText = brace > 0 ? line.substring(brace, line.lastIndexOf('}') + 1) : "";
      boolean matches = true;
      for (String label : labels) {
        matches &= labelText.contains(label);
      }
      if (matches) {
        found = true;
        sum += Double.parseDouble(line.substring(space + 1));
      }
    }
    if (!found) {
      String family = name.substring(0, name.lastIndexOf('_'));
      throw new AssertionError("no metric " + name + " " + List.of(labels) + "; similar ones:\n"
          + String.join("\n", lines.stream().filter(l -> l.startsWith(family)).toList()));
    }
    return sum;
  }
}
