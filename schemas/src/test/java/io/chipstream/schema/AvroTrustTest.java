package io.chipstream.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.chipstream.avro.ChipFamily;
import io.chipstream.avro.RoutingDecision;
import org.apache.avro.util.ClassSecurityValidator;
import org.junit.jupiter.api.Test;

class AvroTrustTest {

  @Test
  void generatedClassesWorkInAFreshJvmWithNoFlagAndNoSetUp() throws Exception {
    Process probe = new ProcessBuilder(
        java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), TrustProbe.class.getName())
        .redirectErrorStream(true)
        .start();
    String output = new String(probe.getInputStream().readAllBytes(),
        java.nio.charset.StandardCharsets.UTF_8);
    assertThat(probe.waitFor()).as(output).isZero();
  }

  @Test
  void trustsGeneratedRecordsAndEnumsOnly() {
    AvroTrust.install();
    AvroTrust.install(); // idempotent: a second call must not stack predicates

    assertThat(ClassSecurityValidator.getGlobal().isTrusted(RoutingDecision.class)).isTrue();
    assertThat(ClassSecurityValidator.getGlobal().isTrusted(ChipFamily.class)).isTrue();
    assertThat(ClassSecurityValidator.getGlobal().isTrusted(ProcessBuilder.class)).isFalse();
    assertThat(ClassSecurityValidator.getGlobal().isTrusted(AvroTrust.class))
        .as("a class beside the generated package is not trusted")
        .isFalse();
    assertThat(AvroTrust.isGenerated(FakeInternal.class)).isFalse();
  }

  /** Lives in io.chipstream.schema, not in an ...avro package. */
  static final class FakeInternal {
  }
}
