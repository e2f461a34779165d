package io.chipstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chipstream.localkafka.PortAllocator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code chipstream up} for real, in this JVM: the broker, registry, app and fleet start, answer,
 * stop on time leaving nothing behind, and a second run resumes on the same data.
 */
class UpIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final int kafkaPort = PortAllocator.freePort("127.0.0.1");
  private final int registryPort = PortAllocator.freePort("127.0.0.1");
  private final int appPort = PortAllocator.freePort("127.0.0.1");

  private record Run(int exit, String out, String err) {}

  private static Run chipstream(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private String[] up(Path data, String duration, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("up", "--data-dir", data.toString(),
        "--duration", duration, "--kafka-port", "" + kafkaPort, "--registry-port",
        "" + registryPort, "--app-port", "" + appPort, "--window", "10s", "--grace", "2s",
        "--rate", "40"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  @Test
  void upServesStopsOnTimeAndResumes(@TempDir Path data, @TempDir Path dir) throws Exception {
    // up's baseline, with a larger share than its 5% so a short run sees it.
    Path policy = Files.writeString(dir.resolve("policy.properties"), "baseline.share=0.3\n");
    CompletableFuture<Run> first = CompletableFuture.supplyAsync(() -> chipstream(up(data,
        "45s", "--policy", policy.toString())));
    HttpClient http = HttpClient.newHttpClient();
    await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + appPort + "/health")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode() == 200);

    Run held = chipstream(up(data, "5s"));
    assertThat(held.exit()).isEqualTo(2);
    assertThat(held.err().strip().lines()).singleElement().asString()
        .contains("--data-dir");

    Run decisions = chipstream("consume", "routing-decisions", "--from-beginning",
        "--max-records", "5", "--timeout", "30s", "--bootstrap-servers", "127.0.0.1:" + kafkaPort,
        "--schema-registry-url", "http://127.0.0.1:" + registryPort);
    assertThat(decisions.exit()).isZero();
    List<String> lines = decisions.out().lines().toList();
    assertThat(lines).hasSize(5);
    JsonNode record = JSON.readTree(lines.get(0));
    assertThat(record.path("value").path("requestId").asText()).as(lines.get(0)).isEqualTo(
        record.path("key").asText());
    assertThat(record.path("value").path("target").asText()).isIn("LOCAL", "CLOUD");
    assertThat(record.path("value").path("policyVersion").asText()).isEqualTo("demo-1");

    // The app and the fleet run up's policy: x86 and Graviton serve their shares of the cloud's
    // requests (the built-in policy's objective never picks them).
    URI summary = URI.create("http://127.0.0.1:" + appPort + "/api/decisions/summary");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      JsonNode body = JSON.readTree(http.send(HttpRequest.newBuilder(summary).build(),
          HttpResponse.BodyHandlers.ofString()).body());
      assertThat(body.path("families").has("X86")).as(body.toString()).isTrue();
      assertThat(body.path("families").has("GRAVITON")).as(body.toString()).isTrue();
      assertThat(body.path("reasons").path("BASELINE_SAMPLE").asLong()).isEqualTo(
          body.path("families").path("X86").asLong()
              + body.path("families").path("GRAVITON").asLong());
    });

    Run run = first.get();
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("Kafka            127.0.0.1:" + kafkaPort)
        .contains("http://127.0.0.1:" + registryPort).contains("20 chips, 20 written")
        .contains("Dashboard        http://127.0.0.1:" + appPort + "/" + System.lineSeparator())
        .contains("family").contains("stopped")
        .contains("Routing policy   demo-1: objective ENERGY, baseline X86, GRAVITON at 30%");
    assertThat(PortAllocator.isFree("127.0.0.1", kafkaPort)).as("broker gone").isTrue();
    assertThat(PortAllocator.isFree("127.0.0.1", registryPort)).isTrue();
    assertThat(PortAllocator.isFree("127.0.0.1", appPort)).isTrue();

    // The command up suggests works as printed: on these ports it names them.
    String hint = run.out().lines().filter(line -> line.startsWith("  Try: ./chipstream "))
        .findFirst().orElseThrow().substring("  Try: ./chipstream ".length());
    assertThat(hint).isEqualTo("consume routing-decisions --from-beginning --max-records 5"
        + " --bootstrap-servers 127.0.0.1:" + kafkaPort + " --schema-registry-url"
        + " http://127.0.0.1:" + registryPort);

    CompletableFuture<Run> resumed = CompletableFuture.supplyAsync(() -> chipstream(up(data,
        "20s")));
    await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + appPort + "/health")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    Run tried = CompletableFuture.supplyAsync(() -> chipstream(hint.split(" ")))
        .get(60, TimeUnit.SECONDS);
    assertThat(tried.exit()).as(tried.err()).isZero();
    assertThat(tried.out().lines()).hasSize(5)
        .allSatisfy(line -> assertThat(JSON.readTree(line).path("value").path("target").asText())
            .isIn("LOCAL", "CLOUD"));

    Run second = resumed.get(120, TimeUnit.SECONDS);
    assertThat(second.exit()).as(second.err()).isZero();
    assertThat(second.out()).contains("topics ...             already there")
        .contains("20 chips, 0 written");
  }

  @Test
  void aPortInUseIsAOneLineErrorNamingTheFlag(@TempDir Path data) throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), kafkaPort));
      Run run = chipstream(up(data, "5s"));
      assertThat(run.exit()).isEqualTo(2);
      assertThat(run.err().strip().lines()).singleElement().asString()
          .contains("port " + kafkaPort).contains("--kafka-port");
    }
  }

  @Test
  void aBadPolicyFileIsAOneLineErrorBeforeAnythingStarts(@TempDir Path dir) throws Exception {
    Path policy = Files.writeString(dir.resolve("policy.properties"), "baseline.families=ARM\n");
    Path data = dir.resolve("data");
    Run run = chipstream(up(data, "5s", "--policy", policy.toString()));
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err().strip().lines()).singleElement().asString()
        .contains("baseline.families names unknown ChipFamily 'ARM'");
    assertThat(data).doesNotExist();
    assertThat(PortAllocator.isFree("127.0.0.1", kafkaPort)).isTrue();
  }

  @Test
  void aRetentionShorterThanAWindowIsAOneLineErrorBeforeAnythingStarts(@TempDir Path dir)
      throws Exception {
    Path data = dir.resolve("data");
    Run run = chipstream(up(data, "5s", "--retention", "5s")); // windows of 10s, grace 2s
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err().strip().lines()).singleElement().asString()
        .contains("the window retention (5s) must be at least the window size plus the grace"
            + " period (12s)");
    assertThat(data).doesNotExist();
  }

  @Test
  void aRateOrPartitionCountThatCannotWorkIsAOneLineErrorBeforeAnythingStarts(
      @TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    // A negative rate ran the fleet unpaced, as fast as the machine could.
    String[] args = up(data, "5s");
    args[List.of(args).indexOf("--rate") + 1] = "-1";
    Run rate = chipstream(args);
    assertThat(rate.exit()).isEqualTo(2);
    assertThat(rate.err().strip().lines()).singleElement().asString()
        .contains("--rate must be more than 0 requests a second, not -1.0");
    Run partitions = chipstream(up(data, "5s", "--partitions", "0"));
    assertThat(partitions.exit()).isEqualTo(2);
    assertThat(partitions.err().strip().lines()).singleElement().asString()
        .contains("--partitions must be at least 1, not 0");
    assertThat(data).doesNotExist();
  }
}
