package io.chipstream.launcher;

import io.chipstream.avro.ChipFamilyEfficiency;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The live summary of {@code up}: one line per chip family, from its latest window. */
final class SummaryTable {
  private SummaryTable() {}

  static String render(Collection<ChipFamilyEfficiency> families) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%-15s %9s %7s %16s %12s %10s %14s%n", "family",
        "requests", "local", "tokens/joule", "$/M tokens", "p95 ms", "train tok/J"));
    List<ChipFamilyEfficiency> rows = families.stream()
        .sorted(Comparator.comparing(e -> e.getChipFamily().name()))
        .toList();
    if (rows.isEmpty()) {
      out.append("(no results yet: the first window is filling)\n");
    }
    for (ChipFamilyEfficiency e : rows) {
      long tokens = e.getPromptTokens() + e.getOutputTokens();
      String tpj = e.getTokensPerJoule() == null ? "-" : String.format(Locale.ROOT, "%.2f %s",
          e.getTokensPerJoule(), e.getTokensPerJouleBasis().name().substring(0, 4).toLowerCase(
              Locale.ROOT));
      String cost = tokens == 0 || e.getEstimatedCostUsd() == 0 ? "-"
          : String.format(Locale.ROOT, "%.4f", e.getEstimatedCostUsd() / tokens * 1e6);
      out.append(String.format(Locale.ROOT, "%-15s %9d %7s %16s %12s %10s %14s%n",
          e.getChipFamily(), e.getRequests(),
          e.getLocalShare() == null ? "-"
              : String.format(Locale.ROOT, "%.0f%%", 100 * e.getLocalShare()),
          tpj, cost,
          e.getLatencyP95Ms() == null ? "-"
              : String.format(Locale.ROOT, "%.0f", e.getLatencyP95Ms()),
          e.getTrainingTokensPerJoule() == null ? "-"
              : String.format(Locale.ROOT, "%.2f", e.getTrainingTokensPerJoule())));
    }
    return out.toString();
  }
}
