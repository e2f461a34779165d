package io.chipstream.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.chipstream.avro.InferenceRequest;
import io.chipstream.producers.cli.EventSink;
import io.chipstream.schema.registry.RestSchemaRegistryClient;
import io.chipstream.schema.serde.AvroSerializer;
import io.chipstream.schema.serde.WireFormat;
import io.chipstream.testkit.TestKafka;
import io.chipstream.testkit.WithKafka;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A producer with a newer {@code InferenceRequest} (an added field with a default) runs beside
 * the old one and both are processed; a breaking change is refused with 409 and said clearly;
 * the registry, restarted, keeps its ids, and records that arrive while it is down wait for it
 * instead of being rejected.
 */
@Tag("reliability")
@WithKafka
class SchemaEvolutionIT {
  private static final Logger log = LoggerFactory.getLogger(SchemaEvolutionIT.class);
  private static final int EACH = 100;

  @Test
  void oldAndNewProducersAreBothProcessedAndABreakingChangeIsRefused(TestKafka kafka,
      @TempDir Path work) throws Exception {
    try (Pipeline pipeline = Pipeline.builder(kafka.bootstrapServers(), work).name("evolve")
        .build();
        AppProcess app = pipeline.app("evolve-app", kafka.uniqueName("evolve"),
            work.resolve("state"), Duration.ofMinutes(10)).start()) {
      app.awaitRunning(Duration.ofSeconds(120));
      String topic = pipeline.names.requests();
      String subject = topic + "-value";
      Instant at = Instant.now().minus(Duration.ofMinutes(20));
      Schema v2 = withField(InferenceRequest.getClassSchema(), "appVersion",
          "{\"type\": [\"null\", \"string\"], \"default\": null}");
      Schema v3 = withField(v2, "region", "{\"type\": \"string\", \"default\": \"eu\"}");
      AvroSerializer<GenericRecord> newer = new AvroSerializer<>(pipeline.registryClient);
      newer.configure(pipeline.serdeConfig, false);
      List<String> sent = new ArrayList<>();

      try (EventSink old = pipeline.sink();
          KafkaProducer<byte[], byte[]> raw = pipeline.rawProducer()) {
        for (int i = 0; i < EACH; i++) {
          InferenceRequest v1 = Records.request("v1", i, at.plusMillis(100L * i));
          old.send(topic, v1.getRequestId(), v1, v1.getTimestamp().toEpochMilli());
          InferenceRequest base = Records.request("v2", i, at.plusMillis(100L * i + 50));
          GenericRecord record = convert(base, v2);
          record.put("appVersion", "2.0." + i);
          Pipeline.sendRaw(raw, topic, base.getRequestId(), newer.serialize(topic, record),
              base.getTimestamp());
          sent.add(v1.getRequestId());
          sent.add(base.getRequestId());
        }
        old.flush();
        int v2Id = WireFormat.schemaId(newer.serialize(topic, convert(Records.request("v2", 0, at),
            v2)));
        assertThat(pipeline.registryClient.versions(subject)).hasSize(2);

        // A breaking change: promptTokens becomes a string. The registry refuses it (409).
        Schema breaking = new Schema.Parser().parse(InferenceRequest.getClassSchema().toString()
            .replace("\"name\":\"promptTokens\",\"type\":\"int\"",
                "\"name\":\"promptTokens\",\"type\":\"string\""));
        assertThat(breaking.getField("promptTokens").schema().getType())
            .isEqualTo(Schema.Type.STRING);
        GenericRecord broken = new org.apache.avro.generic.GenericData.Record(breaking);
        assertThatThrownBy(() -> newer.serialize(topic, broken))
            .isInstanceOf(SerializationException.class)
            .hasMessageContaining(subject)
            .hasMessageContaining("409")
            .hasMessageContaining("ncompatible");
        assertThat(pipeline.registryClient.versions(subject)).as("nothing registered")
            .hasSize(2);

        // A third version, registered now and first read by the app while the registry is down.
        InferenceRequest sample = Records.request("v3", 0, at);
        byte[] first = newer.serialize(topic, convert(sample, v3));
        int v3Id = WireFormat.schemaId(first);
        pipeline.stopRegistry();
        for (int i = 0; i < EACH; i++) {
          InferenceRequest base = Records.request("v3", i, at.plusMillis(100L * i + 70));
          Pipeline.sendRaw(raw, topic, base.getRequestId(), newer.serialize(topic,
              convert(base, v3)), base.getTimestamp());
          sent.add(base.getRequestId());
        }
        log.info("{} records of schema id {} sent while the registry is down", EACH, v3Id);
        // Down until the app has met the outage: it fails the task instead of rejecting records.
        await("the app waits for the registry").atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> app.log().contains("waits: the schema registry is unavailable"));
        pipeline.startRegistry();

        try (RestSchemaRegistryClient fresh = new RestSchemaRegistryClient(
            io.chipstream.schema.registry.RegistryClientConfig.from(pipeline.serdeConfig))) {
          assertThat(fresh.lookup(subject, v2).id()).as("v2's id after a restart")
              .isEqualTo(v2Id);
          assertThat(fresh.schemaById(v3Id)).isEqualTo(v3);
          assertThat(fresh.register(subject, v3)).isEqualTo(v3Id);
        }
      }

      List<ConsumerRecord<String, io.chipstream.avro.RoutingDecision>> decisions =
          pipeline.readDecisions(sent.size(), Duration.ofMinutes(2));
      assertThat(decisions).extracting(ConsumerRecord::key)
          .containsExactlyInAnyOrderElementsOf(sent);
      assertThat(pipeline.readDeadLetters(0, Duration.ofSeconds(10)))
          .as("no valid record dead-lettered, not even during the registry outage").isEmpty();
      assertThat(app.isAlive()).isTrue();
    }
  }

  /** {@code schema} with one more field, as a newer producer would have it. */
  private static Schema withField(Schema schema, String name, String typeAndDefault) {
    String json = schema.toString();
    String field = "{\"name\": \"" + name + "\", \"doc\": \"Added later.\", "
        + typeAndDefault.substring(1, typeAndDefault.length() - 1) + "}";
    int end = json.lastIndexOf("]");
    return new Schema.Parser().parse(json.substring(0, end) + "," + field + json.substring(end));
  }

  /** {@code request} read with the newer {@code schema}: the new fields at their defaults. */
  private static GenericRecord convert(InferenceRequest request, Schema schema) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
      new SpecificDatumWriter<InferenceRequest>(InferenceRequest.getClassSchema())
          .write(request, encoder);
      encoder.flush();
      return new GenericDatumReader<GenericRecord>(InferenceRequest.getClassSchema(), schema)
          .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
