package io.chipstream.registry;

import static io.chipstream.registry.Http.call;
import static io.chipstream.registry.Http.get;
import static io.chipstream.registry.Http.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import io.chipstream.registry.Http.Answer;
import io.chipstream.testkit.TestKafka;
import io.chipstream.testkit.WithKafka;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every endpoint of the embedded registry, and every error, over real HTTP on a real broker. */
@WithKafka
class SchemaRegistryApiIT {
  private SchemaRegistryServer registry;
  private String url;

  @BeforeEach
  void start(TestKafka kafka) {
    registry = SchemaRegistryServer.builder(kafka.bootstrapServers())
        .topic(kafka.uniqueName("_schemas"))
        .maxBodyBytes(64 * 1024)
        .build().start();
    url = registry.url();
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void bindsToLoopbackByDefault() {
    assertThat(url).startsWith("http://127.0.0.1:");
    assertThat(get(url + "/").status()).isEqualTo(200);
    assertThat(get(url + "/schemas/types").json().toString()).isEqualTo("[\"AVRO\"]");
    assertThat(get(url + "/mode").json().path("mode").asText()).isEqualTo("READWRITE");
  }

  @Test
  void idsAreGlobalAndStable() {
    Answer first = register("readings-value", Schemas.V1);
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
    int id = first.json().path("id").asInt();

    assertThat(register("readings-value", Schemas.V1).json().path("id").asInt())
        .as("registering an existing schema returns its id").isEqualTo(id);
    assertThat(register("other-value", Schemas.V1).json().path("id").asInt())
        .as("the same schema under another subject has the same id").isEqualTo(id);
    assertThat(get(url + "/subjects/readings-value/versions").json().toString())
        .as("no new version for a schema already there").isEqualTo("[1]");

    int second = register("readings-value", Schemas.V2).json().path("id").asInt();
    assertThat(second).isNotEqualTo(id);
    assertThat(get(url + "/subjects/readings-value/versions").json().toString())
        .isEqualTo("[1,2]");
    assertThat(get(url + "/subjects").json().toString())
        .isEqualTo("[\"other-value\",\"readings-value\"]");
  }

  @Test
  void schemasAreServedByIdWithTheirSubjects() {
    int id = register("a-value", Schemas.V1).json().path("id").asInt();
    register("b-value", Schemas.V1);

    Answer byId = get(url + "/schemas/ids/" + id);
    assertThat(new Schema.Parser().parse(byId.json().path("schema").asText()))
        .isEqualTo(new Schema.Parser().parse(Schemas.V1));
    assertThat(get(url + "/schemas/ids/" + id + "/schema").json().path("name").asText())
        .isEqualTo("Reading");
    assertThat(get(url + "/schemas/ids/" + id + "/versions").json().toString())
        .isEqualTo("[{\"subject\":\"a-value\",\"version\":1},{\"subject\":\"b-value\",\"version\":1}]");

    assertError(get(url + "/schemas/ids/9999"), 404, 40403);
    assertError(get(url + "/schemas/ids/not-a-number"), 404, 40403);
  }

  @Test
  void versionsAreServedByNumberOrLatest() {
    int v1 = register("s-value", Schemas.V1).json().path("id").asInt();
    int v2 = register("s-value", Schemas.V2).json().path("id").asInt();

    Answer latest = get(url + "/subjects/s-value/versions/latest");
    assertThat(latest.json().path("subject").asText()).isEqualTo("s-value");
    assertThat(latest.json().path("version").asInt()).isEqualTo(2);
    assertThat(latest.json().path("id").asInt()).isEqualTo(v2);
    assertThat(get(url + "/subjects/s-value/versions/1").json().path("id").asInt()).isEqualTo(v1);
    assertThat(get(url + "/subjects/s-value/versions/-1").json().path("version").asInt())
        .isEqualTo(2);
    assertThat(get(url + "/subjects/s-value/versions/2/schema").json().path("fields").size())
        .isEqualTo(3);

    assertError(get(url + "/subjects/s-value/versions/99"), 404, 40402);
    assertError(get(url + "/subjects/s-value/versions/abc"), 422, 42202);
    assertError(get(url + "/subjects/s-value/versions/0"), 422, 42202);
    assertError(get(url + "/subjects/nope/versions"), 404, 40401);
    assertError(get(url + "/subjects/nope/versions/latest"), 404, 40401);
  }

  @Test
  void lookupFindsTheVersionHoldingASchema() {
    int id = register("s-value", Schemas.V1).json().path("id").asInt();

    Answer found = call("POST", url + "/subjects/s-value", schemaBody(Schemas.V1));
    assertThat(found.json().path("id").asInt()).isEqualTo(id);
    assertThat(found.json().path("version").asInt()).isEqualTo(1);
    assertThat(found.json().path("subject").asText()).isEqualTo("s-value");

    assertError(call("POST", url + "/subjects/s-value", schemaBody(Schemas.OTHER)), 404, 40403);
    assertError(call("POST", url + "/subjects/nope", schemaBody(Schemas.V1)), 404, 40401);
  }

  @Test
  void backwardIsTheDefaultAndAnIncompatibleSchemaIsRefusedWith409() {
    assertThat(get(url + "/config").json().path("compatibilityLevel").asText())
        .isEqualTo("BACKWARD");
    register("s-value", Schemas.V1);

    Answer refused = register("s-value", Schemas.V1_PLUS_REQUIRED);

    assertError(refused, 409, 409);
    assertThat(refused.json().path("message").asText()).contains("incompatible")
        .contains("rack");
    assertThat(get(url + "/subjects/s-value/versions").json().toString()).isEqualTo("[1]");
  }

  @Test
  void compatibilityCanBeTestedWithoutRegistering() {
    register("s-value", Schemas.V1);
    String compat = url + "/compatibility/subjects/s-value/versions/latest";

    assertThat(call("POST", compat, schemaBody(Schemas.V2)).json().path("is_compatible")
        .asBoolean()).isTrue();
    Answer no = call("POST", compat + "?verbose=true", schemaBody(Schemas.V1_PLUS_REQUIRED));
    assertThat(no.json().path("is_compatible").asBoolean()).isFalse();
    assertThat(no.json().path("messages").toString()).contains("READER_FIELD_MISSING_DEFAULT_VALUE");
    assertThat(call("POST", url + "/compatibility/subjects/s-value/versions/1",
        schemaBody(Schemas.V2)).json().path("is_compatible").asBoolean()).isTrue();
    assertThat(call("POST", url + "/compatibility/subjects/s-value/versions",
        schemaBody(Schemas.V2)).json().path("is_compatible").asBoolean()).isTrue();

    assertError(call("POST", url + "/compatibility/subjects/nope/versions/latest",
        schemaBody(Schemas.V2)), 404, 40401);
    assertError(call("POST", url + "/compatibility/subjects/s-value/versions/7",
        schemaBody(Schemas.V2)), 404, 40402);
    assertThat(get(url + "/subjects/s-value/versions").json().toString()).isEqualTo("[1]");
  }

  @Test
  void everyCompatibilityLevelIsEnforced() {
    // BACKWARD checks the latest only; BACKWARD_TRANSITIVE checks every version.
    register("b-value", Schemas.V1);
    register("b-value", Schemas.SENSOR_ONLY);
    setCompatibility("b-value", "BACKWARD_TRANSITIVE");
    assertError(register("b-value", Schemas.WATTS_AS_STRING), 409, 409);
    setCompatibility("b-value", "BACKWARD");
    assertThat(register("b-value", Schemas.WATTS_AS_STRING).status()).isEqualTo(200);

    // FORWARD: old readers must read new data; a new required field is fine, BACKWARD is not.
    register("f-value", Schemas.V1);
    setCompatibility("f-value", "FORWARD");
    assertThat(register("f-value", Schemas.V1_PLUS_REQUIRED).status()).isEqualTo(200);

    // FULL: both ways.
    register("full-value", Schemas.V1);
    setCompatibility("full-value", "FULL");
    assertError(register("full-value", Schemas.V1_PLUS_REQUIRED), 409, 409);
    assertThat(register("full-value", Schemas.V2).status()).isEqualTo(200);

    // FORWARD_TRANSITIVE and FULL_TRANSITIVE check all versions.
    register("ft-value", Schemas.V1);
    register("ft-value", Schemas.SENSOR_ONLY);
    setCompatibility("ft-value", "FULL_TRANSITIVE");
    assertError(register("ft-value", Schemas.WATTS_AS_STRING), 409, 409);
    setCompatibility("ft-value", "FORWARD_TRANSITIVE");
    assertError(register("ft-value", Schemas.WATTS_AS_STRING), 409, 409);

    // NONE: anything goes.
    register("n-value", Schemas.V1);
    setCompatibility("n-value", "NONE");
    assertThat(register("n-value", Schemas.OTHER).status()).isEqualTo(200);
  }

  @Test
  void configIsGlobalOrPerSubject() {
    register("s-value", Schemas.V1);
    assertError(get(url + "/config/s-value"), 404, 40408);
    assertThat(get(url + "/config/s-value?defaultToGlobal=true").json()
        .path("compatibilityLevel").asText()).isEqualTo("BACKWARD");

    Answer set = call("PUT", url + "/config/s-value", "{\"compatibility\":\"none\"}");
    assertThat(set.json().path("compatibility").asText()).isEqualTo("NONE");
    assertThat(get(url + "/config/s-value").json().path("compatibilityLevel").asText())
        .isEqualTo("NONE");
    assertThat(call("DELETE", url + "/config/s-value", null).json().path("compatibilityLevel")
        .asText()).isEqualTo("NONE");
    assertError(get(url + "/config/s-value"), 404, 40408);

    assertThat(call("PUT", url + "/config", "{\"compatibility\":\"FULL\"}").json()
        .path("compatibility").asText()).isEqualTo("FULL");
    assertThat(get(url + "/config").json().path("compatibilityLevel").asText()).isEqualTo("FULL");
    assertError(call("PUT", url + "/config", "{\"compatibility\":\"SIDEWAYS\"}"), 422, 42203);
    assertError(call("PUT", url + "/config/s-value", "{}"), 422, 42203);
  }

  @Test
  void subjectsAreSoftThenPermanentlyDeletedAndVersionsNeverReused() {
    register("s-value", Schemas.V1);
    int v2Id = register("s-value", Schemas.V2).json().path("id").asInt();

    assertError(call("DELETE", url + "/subjects/s-value?permanent=true", null), 404, 40405);
    assertThat(call("DELETE", url + "/subjects/s-value", null).json().toString())
        .isEqualTo("[1,2]");
    assertError(get(url + "/subjects/s-value/versions"), 404, 40401);
    assertThat(get(url + "/subjects").json().toString()).isEqualTo("[]");
    assertThat(get(url + "/subjects?deleted=true").json().toString()).isEqualTo("[\"s-value\"]");
    assertThat(get(url + "/subjects/s-value/versions?deleted=true").json().toString())
        .isEqualTo("[1,2]");
    assertThat(get(url + "/schemas/ids/" + v2Id).status())
        .as("a soft-deleted schema still decodes old records").isEqualTo(200);
    assertError(call("DELETE", url + "/subjects/s-value", null), 404, 40404);

    assertThat(call("DELETE", url + "/subjects/s-value?permanent=true", null).json().toString())
        .isEqualTo("[1,2]");
    assertThat(get(url + "/subjects?deleted=true").json().toString()).isEqualTo("[]");
    assertError(call("DELETE", url + "/subjects/s-value", null), 404, 40401);

    int again = register("s-value", Schemas.V2).json().path("id").asInt();
    assertThat(again).as("ids are stable").isEqualTo(v2Id);
    assertThat(get(url + "/subjects/s-value/versions").json().toString())
        .as("versions are never reused").isEqualTo("[3]");
  }

  @Test
  void versionsAreSoftThenPermanentlyDeleted() {
    register("s-value", Schemas.V1);
    register("s-value", Schemas.V2);

    assertError(call("DELETE", url + "/subjects/s-value/versions/1?permanent=true", null),
        404, 40407);
    assertThat(call("DELETE", url + "/subjects/s-value/versions/1", null).body()).isEqualTo("1");
    assertThat(get(url + "/subjects/s-value/versions").json().toString()).isEqualTo("[2]");
    assertError(get(url + "/subjects/s-value/versions/1"), 404, 40402);
    assertThat(get(url + "/subjects/s-value/versions/1?deleted=true").status()).isEqualTo(200);
    assertThat(call("DELETE", url + "/subjects/s-value/versions/1?permanent=true", null).body())
        .isEqualTo("1");
    assertError(get(url + "/subjects/s-value/versions/1?deleted=true"), 404, 40402);
    assertThat(call("DELETE", url + "/subjects/s-value/versions/latest", null).body())
        .isEqualTo("2");
    assertError(call("DELETE", url + "/subjects/s-value/versions/9", null), 404, 40401);
  }

  @Test
  void badInputGetsTheRightStatusAndAJsonErrorNeverAStackTrace() {
    String versions = url + "/subjects/s-value/versions";
    assertError(call("POST", versions, "{not json"), 400, 400);
    assertError(call("POST", versions, "[1,2]"), 400, 400);
    assertError(call("POST", versions, "{}"), 422, 42201);
    assertError(call("POST", versions, schemaBody("{\"type\":\"record\",\"name\":\"X\"}")),
        422, 42201);
    assertError(call("POST", versions, schemaBody("not a schema")), 422, 42201);
    assertError(call("POST", versions,
        "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\";\"}"), 422, 42201);
    String huge = schemaBody("{\"type\":\"string\",\"doc\":\"" + "x".repeat(70_000) + "\"}");
    assertError(call("POST", versions, huge), 413, 413);
    assertError(get(url + "/no/such/path"), 404, 404);
    assertError(call("PATCH", url + "/subjects", "{}"), 405, 405);
    assertError(call("DELETE", url + "/config", null), 405, 405);
    assertThat(get(url + "/subjects").json().toString()).isEqualTo("[]");
  }

  @Test
  void subjectNamesWithSpecialCharactersAreUrlDecoded() {
    String subject = "weird topic/ü+x-value";
    String encoded = URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    int id = call("POST", url + "/subjects/" + encoded + "/versions", schemaBody(Schemas.V1))
        .json().path("id").asInt();

    assertThat(get(url + "/subjects").json().get(0).asText()).isEqualTo(subject);
    assertThat(get(url + "/subjects/" + encoded + "/versions/latest").json().path("id").asInt())
        .isEqualTo(id);
  }

  private Answer register(String subject, String schema) {
    return call("POST", url + "/subjects/" + subject + "/versions", schemaBody(schema));
  }

  private void setCompatibility(String subject, String level) {
    assertThat(call("PUT", url + "/config/" + subject, "{\"compatibility\":\"" + level + "\"}")
        .status()).isEqualTo(200);
  }

  private static void assertError(Answer answer, int status, int errorCode) {
    assertThat(answer.status()).as("HTTP status of %s", answer.body()).isEqualTo(status);
    assertThat(answer.json()).as("a JSON error body").isNotNull();
    assertThat(answer.errorCode()).as("error_code of %s", answer.body()).isEqualTo(errorCode);
    assertThat(answer.json().path("message").asText()).isNotBlank();
    assertThat(answer.body()).doesNotContain("\tat ").doesNotContain("Exception");
  }
}
