package io.chipstream.benchmarks;

import io.chipstream.avro.RoutingDecision;
import io.chipstream.schema.registry.RestSchemaRegistryClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of the embedded registry's {@code GET /schemas/ids/{id}}, the call every new
 * consumer makes once per schema, over real HTTP with keep-alive, from 4 client threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(4)
public class RegistryBenchmark {
  private LocalRegistry registry;
  private HttpClient http;
  private HttpRequest request;

  @Setup
  public void setUp() {
    registry = new LocalRegistry();
    try (RestSchemaRegistryClient client = RestSchemaRegistryClient.forUrl(registry.url())) {
      int id = client.register("bench-value", RoutingDecision.getClassSchema());
      request = HttpRequest.newBuilder(URI.create(registry.url() + "/schemas/ids/" + id)).GET()
          .build();
    }
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @TearDown
  public void tearDown() {
    registry.close();
  }

  @Benchmark
  public int getSchemaById() throws IOException, InterruptedException {
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET /schemas/ids answered " + response.statusCode());
    }
    return response.body().length;
  }
}
