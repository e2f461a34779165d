package io.chipstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.chipstream.avro.ChipFamily;
import io.chipstream.avro.ChipFamilyEfficiency;
import io.chipstream.avro.EfficiencyBasis;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTableTest {
  @Test
  void oneLinePerFamilyWithCostPerMillionTokens() {
    ChipFamilyEfficiency inf = ChipFamilyEfficiency.newBuilder()
        .setChipFamily(ChipFamily.INFERENTIA).setWindowStart(Instant.EPOCH)
        .setWindowEnd(Instant.EPOCH.plusSeconds(60)).setRequests(10).setCloudRequests(10)
        .setPromptTokens(900_000).setOutputTokens(100_000).setEstimatedCostUsd(0.75)
        .setTokensPerJoule(31.25).setTokensPerJouleBasis(EfficiencyBasis.MEASURED)
        .setLocalShare(0.0).setLatencyP95Ms(812.4).build();

    String table = SummaryTable.render(List.of(inf));

    assertThat(table.lines()).hasSize(2);
    assertThat(table.lines().skip(1).findFirst().orElseThrow())
        .contains("INFERENTIA").contains(" 10 ").contains("0%").contains("31.25 meas")
        .contains("0.7500").contains("812");
    assertThat(SummaryTable.render(List.of())).contains("no results yet");
  }
}
