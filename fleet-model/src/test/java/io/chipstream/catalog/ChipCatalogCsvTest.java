package io.chipstream.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chipstream.avro.ChipCapability;
import io.chipstream.avro.ChipFamily;
import io.chipstream.avro.ComputeTier;
import io.chipstream.avro.FigureBasis;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChipCatalogCsvTest {
  private static final Instant NOW = Instant.parse("2026-11-27T00:00:00Z");
  private static final String HEADER = String.join(",", ChipCatalogCsv.HEADER);
  private static final String GOOD =
      "l4,L4,NVIDIA_GPU,NVIDIA,PUBLIC_CLOUD,false,242.5,FP8,24,300,72,0.8048,g6.xlarge,,,32768,"
          + "peak_tera_ops=F6,\"NVIDIA L4 datasheet, AWS price\"";

  private static Map<String, ChipCapability> builtIn() {
    return ChipCatalogCsv.builtIn(NOW).stream()
        .collect(Collectors.toMap(ChipCapability::getChipModel, Function.identity()));
  }

  @Test
  void theBuiltInCatalogHasEveryPublishedChipAndOlderAppleChips() {
    assertThat(builtIn().keySet()).containsExactlyInAnyOrder(
        "graviton2", "graviton3", "graviton4", "inferentia1", "inferentia2", "trainium1",
        "trainium2", "h100-sxm", "a10g", "l4", "xeon-8480", "epyc-9654", "a17-pro", "a18-pro",
        "m2", "m4", "m2-ultra", "a16-bionic", "a15-bionic", "m1");
    assertThat(builtIn().values()).allSatisfy(chip -> assertThat(chip.getUpdatedAt())
        .isEqualTo(NOW));
  }

  @Test
  void publishedFiguresNameTheirSourceAndDerivedOnesTheirFormula() {
    ChipCapability h100 = builtIn().get("h100-sxm");
    assertThat(h100.getPowerWatts().getValue()).isEqualTo(700.0);
    assertThat(h100.getPowerWatts().getBasis()).isEqualTo(FigureBasis.PUBLISHED);
    assertThat(h100.getPowerWatts().getSource()).contains("NVIDIA H100 datasheet");
    assertThat(h100.getCostPerHourUsd().getBasis()).isEqualTo(FigureBasis.DERIVED);
    assertThat(h100.getCostPerHourUsd().getSource()).startsWith("F8:");

    ChipCapability inf2 = builtIn().get("inferentia2");
    assertThat(inf2.getPowerWatts().getBasis()).isEqualTo(FigureBasis.DERIVED);
    assertThat(inf2.getPowerWatts().getSource()).startsWith("F2:");
    assertThat(inf2.getMemoryBandwidthGBps().getBasis()).isEqualTo(FigureBasis.PUBLISHED);

    ChipCapability trn2 = builtIn().get("trainium2");
    assertThat(trn2.getCostPerHourUsd().getBasis()).isEqualTo(FigureBasis.UNKNOWN);
    assertThat(trn2.getCostPerHourUsd().getValue()).isNull();
  }

  @Test
  void tokenRatesArePublishedWhereAppleGivesThemAndModelledElsewhere() {
    ChipCapability a17 = builtIn().get("a17-pro");
    assertThat(a17.getPrefillTokensPerSecond().getValue()).isEqualTo(1667.0);
    assertThat(a17.getPrefillTokensPerSecond().getBasis()).isEqualTo(FigureBasis.PUBLISHED);
    assertThat(a17.getDecodeTokensPerSecond().getValue()).isEqualTo(30.0);
    assertThat(a17.getTier()).isEqualTo(ComputeTier.DEVICE);
    assertThat(a17.getReferenceModel()).isEqualTo("3B@3.5bit");

    // R1: 0.5 x 100 GB/s / 1.3125 GB = 38.1 tokens/s; R2: 0.286 x 15.8e12 / 6e9 = 753.1.
    ChipCapability m2 = builtIn().get("m2");
    assertThat(m2.getDecodeTokensPerSecond().getValue()).isEqualTo(38.1);
    assertThat(m2.getDecodeTokensPerSecond().getSource()).startsWith("R1:");
    assertThat(m2.getPrefillTokensPerSecond().getValue()).isEqualTo(753.1);

    // The server reference model: 0.5 x 820 GB/s / 7 GB = 58.6 tokens/s.
    ChipCapability inf2 = builtIn().get("inferentia2");
    assertThat(inf2.getDecodeTokensPerSecond().getValue()).isEqualTo(58.6);
    assertThat(inf2.getReferenceModel()).isEqualTo("7B@8bit");

    // A10G publishes no peak compute: no prefill rate is invented.
    assertThat(builtIn().get("a10g").getPrefillTokensPerSecond().getBasis())
        .isEqualTo(FigureBasis.UNKNOWN);
  }

  @Test
  void olderAppleChipsCannotRunTheOnDeviceModel() {
    assertThat(builtIn().get("a16-bionic").getRunsOnDeviceModel()).isFalse();
    assertThat(builtIn().get("a16-bionic").getMaxContextTokens()).isZero();
    assertThat(builtIn().get("a15-bionic").getChipFamily()).isEqualTo(ChipFamily.APPLE_A_SERIES);
    assertThat(builtIn().get("m1").getRunsOnDeviceModel()).isTrue();
  }

  @Test
  void aGoodRowParses() throws Exception {
    List<ChipCapability> rows = ChipCatalogCsv.parse(
        new StringReader(HEADER + "\n" + GOOD + "\n"), "test.csv", NOW);
    assertThat(rows).singleElement().satisfies(l4 -> {
      assertThat(l4.getPeakTeraOps().getSource()).startsWith("F6:");
      assertThat(l4.getPowerWatts().getSource()).isEqualTo("NVIDIA L4 datasheet, AWS price");
    });
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "unknown family   | l4,L4,NVIDIA,NVIDIA,PUBLIC_CLOUD,false,1,,,,,,,,,1,,src | family 'NVIDIA'",
      "too few columns  | l4,L4,NVIDIA_GPU                                       | expected 18 columns, found 3",
      "negative figure  | l4,L4,NVIDIA_GPU,N,PUBLIC_CLOUD,false,-1,,,,,,,,,1,,src | peak_tera_ops -1",
      "not a number     | l4,L4,NVIDIA_GPU,N,PUBLIC_CLOUD,false,lots,,,,,,,,,1,,src | 'lots' is not a number",
      "derived no value | l4,L4,NVIDIA_GPU,N,PUBLIC_CLOUD,false,,,,,,,,,,1,peak_tera_ops=F6,src | marked derived but has no value",
      "unknown formula  | l4,L4,NVIDIA_GPU,N,PUBLIC_CLOUD,false,1,,,,,,,,,1,peak_tera_ops=F99,src | unknown formula",
      "bad tier         | l4,L4,NVIDIA_GPU,N,ORBIT,false,1,,,,,,,,,1,,src | tier 'ORBIT'",
      "bad boolean      | l4,L4,NVIDIA_GPU,N,PUBLIC_CLOUD,maybe,1,,,,,,,,,1,,src | must be true or false",
      "no source        | l4,L4,NVIDIA_GPU,N,PUBLIC_CLOUD,false,1,,,,,,,,,1,, | source is empty",
      "bad chip id      | L 4,L4,NVIDIA_GPU,N,PUBLIC_CLOUD,false,1,,,,,,,,,1,,src | chip_model 'L 4'",
      "open quote       | l4,\"L4,NVIDIA_GPU | unterminated quoted field"})
  void aMalformedRowRejectsTheFileWithItsLineNumber(String name, String row, String problem) {
    String csv = HEADER + "\n" + GOOD + "\n\n" + row + "\n";

    assertThatThrownBy(() -> ChipCatalogCsv.parse(new StringReader(csv), "chips.csv", NOW))
        .isInstanceOf(CatalogFormatException.class)
        .hasMessageStartingWith("chips.csv line 4: ")
        .hasMessageContaining(problem)
        .extracting(e -> ((CatalogFormatException) e).line()).isEqualTo(4);
  }

  @Test
  void aDuplicateChipIsRejected() {
    String csv = HEADER + "\n" + GOOD + "\n" + GOOD + "\n";
    assertThatThrownBy(() -> ChipCatalogCsv.parse(new StringReader(csv), "chips.csv", NOW))
        .hasMessage("chips.csv line 3: chip_model 'l4' appears twice");
  }

  @Test
  void aWrongHeaderOrEmptyFileIsRejected() {
    assertThatThrownBy(() -> ChipCatalogCsv.parse(new StringReader("a,b\n" + GOOD), "c.csv", NOW))
        .hasMessageStartingWith("c.csv line 1: unexpected header");
    assertThatThrownBy(() -> ChipCatalogCsv.parse(new StringReader(""), "c.csv", NOW))
        .hasMessageStartingWith("c.csv line 1: empty file");
    assertThatThrownBy(() -> ChipCatalogCsv.parse(new StringReader(HEADER + "\n"), "c.csv", NOW))
        .hasMessageContaining("no chips");
  }
}
