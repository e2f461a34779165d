package io.chipstream.catalog;

import io.chipstream.avro.ChipCapability;
import io.chipstream.avro.ChipFamily;
import io.chipstream.avro.ComputeTier;
import io.chipstream.avro.Figure;
import io.chipstream.avro.FigureBasis;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the chip catalog CSV ({@code catalog/chips.csv}, documented beside it in {@code
 * CATALOG.md}) into {@link ChipCapability} records. The whole file is checked before anything is
 * returned: one bad row rejects the file, with its line number, so nothing is half-loaded.
 */
public final class ChipCatalogCsv {
  /** The catalog shipped with Chipstream. */
  public static final String BUILT_IN = "catalog/chips.csv";

  static final List<String> HEADER = List.of("chip_model", "display_name", "family", "vendor",
      "tier", "runs_on_device_model", "peak_tera_ops", "peak_precision", "memory_gb",
      "memory_bandwidth_gbps", "power_watts", "cost_per_hour_usd", "cost_instance",
      "prefill_tokens_per_s", "decode_tokens_per_s", "max_context_tokens", "derived", "source");
  private static final Set<String> FIGURES = Set.of("peak_tera_ops", "memory_gb",
      "memory_bandwidth_gbps", "power_watts", "cost_per_hour_usd", "prefill_tokens_per_s",
      "decode_tokens_per_s");
  private static final Pattern CHIP_MODEL = Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");

  private final String source;
  private final Instant loadedAt;

  private ChipCatalogCsv(String source, Instant loadedAt) {
    this.source = source;
    this.loadedAt = loadedAt;
  }

  /** The built-in catalog. */
  public static List<ChipCapability> builtIn(Instant loadedAt) {
    try (InputStream in = ChipCatalogCsv.class.getClassLoader().getResourceAsStream(BUILT_IN)) {
      if (in == null) {
        throw new IllegalStateException(BUILT_IN + " is missing from the classpath");
      }
      return parse(new InputStreamReader(in, StandardCharsets.UTF_8), BUILT_IN, loadedAt);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A catalog file of the same format. */
  public static List<ChipCapability> read(Path file, Instant loadedAt) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(reader, file.toString(), loadedAt);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read catalog " + file, e);
    }
  }

  static List<ChipCapability> parse(Reader reader, String source, Instant loadedAt)
      throws IOException {
    return new ChipCatalogCsv(source, loadedAt).parse(new BufferedReader(reader));
  }

  private List<ChipCapability> parse(BufferedReader reader) throws IOException {
    String header = reader.readLine();
    if (header == null) {
      throw new CatalogFormatException(source, 1, "empty file; expected the header "
          + String.join(",", HEADER));
    }
    if (!CsvLine.split(stripBom(header)).equals(HEADER)) {
      throw new CatalogFormatException(source, 1, "unexpected header; expected "
          + String.join(",", HEADER));
    }
    List<ChipCapability> rows = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int lineNumber = 1;
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      lineNumber++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      ChipCapability row = row(line, lineNumber);
      if (!seen.add(row.getChipModel())) {
        throw new CatalogFormatException(source, lineNumber,
            "chip_model '" + row.getChipModel() + "' appears twice");
      }
      rows.add(row);
    }
    if (rows.isEmpty()) {
      throw new CatalogFormatException(source, lineNumber, "no chips in the file");
    }
    return rows;
  }

  private ChipCapability row(String line, int lineNumber) {
    List<String> cells;
    try {
      cells = CsvLine.split(line);
    } catch (IllegalArgumentException e) {
      throw new CatalogFormatException(source, lineNumber, e.getMessage());
    }
    if (cells.size() != HEADER.size()) {
      throw new CatalogFormatException(source, lineNumber, "expected " + HEADER.size()
          + " columns, found " + cells.size());
    }
    Map<String, String> cell = new HashMap<>();
    for (int i = 0; i < HEADER.size(); i++) {
      cell.put(HEADER.get(i), cells.get(i).trim());
    }
    Row r = new Row(cell, lineNumber);

    String chipModel = cell.get("chip_model");
    if (!CHIP_MODEL.matcher(chipModel).matches()) {
      throw r.error("chip_model '" + chipModel
          + "' must be lower-case letters, digits, '.' or '-'");
    }
    ChipFamily family = r.enumValue("family", ChipFamily.class);
    ComputeTier tier = r.enumValue("tier", ComputeTier.class);
    boolean runsModel = r.bool("runs_on_device_model");
    int maxContext = r.wholeNumber("max_context_tokens");
    Map<String, Formula> derived = r.derived();
    String rowSource = cell.get("source");
    if (rowSource.isEmpty()) {
      throw r.error("source is empty: every row names where its figures come from");
    }

    Figure peak = r.figure("peak_tera_ops", derived, rowSource);
    Figure bandwidth = r.figure("memory_bandwidth_gbps", derived, rowSource);
    Figure prefill = r.figure("prefill_tokens_per_s", derived, rowSource);
    Figure decode = r.figure("decode_tokens_per_s", derived, rowSource);
    boolean servesModel = maxContext > 0;
    ReferenceModel model = ReferenceModel.forTier(tier);
    if (servesModel && prefill.getValue() == null && peak.getValue() != null) {
      prefill = derivedFigure(model.prefillTokensPerSecond(peak.getValue()), Formula.R2, model);
    }
    if (servesModel && decode.getValue() == null && bandwidth.getValue() != null) {
      decode = derivedFigure(model.decodeTokensPerSecond(bandwidth.getValue()), Formula.R1, model);
    }
    if (tier == ComputeTier.DEVICE && runsModel != servesModel) {
      throw r.error("a device chip runs the on-device model exactly when max_context_tokens > 0");
    }

    return ChipCapability.newBuilder()
        .setChipModel(chipModel)
        .setDisplayName(cell.get("display_name").isEmpty() ? chipModel : cell.get("display_name"))
        .setChipFamily(family)
        .setVendor(cell.get("vendor"))
        .setTier(tier)
        .setRunsOnDeviceModel(runsModel)
        .setPeakTeraOps(peak)
        .setPeakPrecision(cell.get("peak_precision").isEmpty() ? null : cell.get("peak_precision"))
        .setMemoryGb(r.figure("memory_gb", derived, rowSource))
        .setMemoryBandwidthGBps(bandwidth)
        .setPowerWatts(r.figure("power_watts", derived, rowSource))
        .setCostPerHourUsd(r.figure("cost_per_hour_usd", derived, rowSource))
        .setCostInstance(cell.get("cost_instance").isEmpty() ? null : cell.get("cost_instance"))
        .setPrefillTokensPerSecond(prefill)
        .setDecodeTokensPerSecond(decode)
        .setMaxContextTokens(maxContext)
        .setReferenceModel(servesModel ? model.label() : "")
        .setUpdatedAt(loadedAt)
        .build();
  }

  private static Figure derivedFigure(double value, Formula formula, ReferenceModel model) {
    double rounded = Math.round(value * 10.0) / 10.0;
    return new Figure(rounded, FigureBasis.DERIVED, formula.describe() + " for " + model.label());
  }

  private static String stripBom(String header) {
    return header.startsWith("\uFEFF") ? header.substring(1) : header;
  }

  /** One row's cells, with checked accessors that name the line on error. */
  private final class Row {
    private final Map<String, String> cell;
    private final int line;

    Row(Map<String, String> cell, int line) {
      this.cell = cell;
      this.line = line;
    }

    CatalogFormatException error(String problem) {
      return new CatalogFormatException(source, line, problem);
    }

    <E extends Enum<E>> E enumValue(String column, Class<E> type) {
      String value = cell.get(column);
      try {
        return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw error(column + " '" + value + "' is not one of "
            + Arrays.toString(type.getEnumConstants()));
      }
    }

    boolean bool(String column) {
      String value = cell.get(column);
      if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
        throw error(column + " '" + value + "' must be true or false");
      }
      return Boolean.parseBoolean(value);
    }

    int wholeNumber(String column) {
      String value = cell.get(column);
      try {
        int number = Integer.parseInt(value);
        if (number < 0) {
          throw error(column + " " + value + " must not be negative");
        }
        return number;
      } catch (NumberFormatException e) {
        throw error(column + " '" + value + "' must be a whole number");
      }
    }

    Map<String, Formula> derived() {
      Map<String, Formula> derived = new HashMap<>();
      String value = cell.get("derived");
      if (value.isEmpty()) {
        return derived;
      }
      for (String entry : value.split(";")) {
        String[] parts = entry.trim().split("=");
        if (parts.length != 2 || !FIGURES.contains(parts[0].trim())) {
          throw error("derived entry '" + entry + "' must be <figure column>=<formula id>, with"
              + " a figure column of " + new java.util.TreeSet<>(FIGURES));
        }
        Formula formula = Formula.parse(parts[1].trim()).orElseThrow(() ->
            error("derived entry '" + entry + "' names an unknown formula; see CATALOG.md"));
        derived.put(parts[0].trim(), formula);
      }
      return derived;
    }

    Figure figure(String column, Map<String, Formula> derived, String rowSource) {
      String value = cell.get(column);
      if (value.isEmpty()) {
        if (derived.containsKey(column)) {
          throw error(column + " is marked derived but has no value");
        }
        return new Figure(null, FigureBasis.UNKNOWN, null);
      }
      double number;
      try {
        number = Double.parseDouble(value);
      } catch (NumberFormatException e) {
        throw error(column + " '" + value + "' is not a number");
      }
      if (!Double.isFinite(number) || number < 0) {
        throw error(column + " " + value + " must be a finite number, not negative");
      }
      Formula formula = derived.get(column);
      return formula == null
          ? new Figure(number, FigureBasis.PUBLISHED, rowSource)
          : new Figure(number, FigureBasis.DERIVED, formula.describe());
    }
  }
}
