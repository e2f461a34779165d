package io.chipstream.schema.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SchemaRegistryClient} over the Confluent REST API, on {@code java.net.http}.
 *
 * <p>Ids and the schemas behind them never change, so they are cached for good: after the first
 * record of each schema, serialising and deserialising make no HTTP call. When the registry cannot
 * be reached (or answers 5xx), a call is retried with exponential backoff a bounded number of times
 * and then fails with {@link SchemaRegistryException.UnreachableException}; 4xx answers, wrong
 * credentials among them, fail at once with the registry's own message.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {
  private static final Logger log = LoggerFactory.getLogger(RestSchemaRegistryClient.class);
  public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final String ACCEPT = CONTENT_TYPE
      + ", application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";

  private final RegistryClientConfig config;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
  private final Map<String, CachedLatest> latestBySubject = new ConcurrentHashMap<>();

  public RestSchemaRegistryClient(RegistryClientConfig config) {
    this.config = config;
    this.http = HttpClient.newBuilder()
        .connectTimeout(config.requestTimeout())
        .version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  /** A client for the registry at {@code url}, with default settings. */
  public static RestSchemaRegistryClient forUrl(String url) {
    return new RestSchemaRegistryClient(RegistryClientConfig.from(
        Map.of(RegistryClientConfig.URL, url)));
  }

  @Override
  public int register(String subject, Schema schema) {
    Map<Schema, Integer> ids = idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
    Integer cached = ids.get(schema);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
    int id = answer.path("id").asInt();
    ids.put(schema, id);
    schemasById.putIfAbsent(id, schema);
    return id;
  }

  @Override
  public RegisteredSchema lookup(String subject, Schema schema) {
    JsonNode answer = send("POST", "/subjects/" + encode(subject), schemaBody(schema));
    RegisteredSchema found = registered(answer);
    idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).put(schema, found.id());
    return found;
  }

  @Override
  public Schema schemaById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = send("GET", "/schemas/ids/" + id, null);
    String type = answer.path("schemaType").asText("AVRO");
    if (!"AVRO".equals(type)) {
      throw new SchemaRegistryException(200, -1,
          "schema id " + id + " is " + type + ", not AVRO");
    }
    Schema schema = new Schema.Parser().parse(answer.path("schema").asText());
    Schema previous = schemasById.putIfAbsent(id, schema);
    return previous != null ? previous : schema;
  }

  @Override
  public List<SubjectVersion> subjectVersionsById(int id) {
    List<SubjectVersion> result = new ArrayList<>();
    for (JsonNode node : send("GET", "/schemas/ids/" + id + "/versions", null)) {
      result.add(new SubjectVersion(node.path("subject").asText(), node.path("version").asInt()));
    }
    return result;
  }

  @Override
  public List<String> subjects() {
    List<String> result = new ArrayList<>();
    send("GET", "/subjects", null).forEach(node -> result.add(node.asText()));
    return result;
  }

  @Override
  public List<Integer> versions(String subject) {
    List<Integer> result = new ArrayList<>();
    send("GET", "/subjects/" + encode(subject) + "/versions", null)
        .forEach(node -> result.add(node.asInt()));
    return result;
  }

  @Override
  public RegisteredSchema version(String subject, int version) {
    return registered(send("GET", "/subjects/" + encode(subject) + "/versions/" + version, null));
  }

  @Override
  public RegisteredSchema latest(String subject) {
    CachedLatest cached = latestBySubject.get(subject);
    if (cached != null && cached.fresh(config.latestCacheTtl())) {
      return cached.schema();
    }
    RegisteredSchema latest =
        registered(send("GET", "/subjects/" + encode(subject) + "/versions/latest", null));
    latestBySubject.put(subject, new CachedLatest(latest, System.nanoTime()));
    return latest;
  }

  @Override
  public CompatibilityLevel globalCompatibility() {
    return level(send("GET", "/config", null));
  }

  @Override
  public Optional<CompatibilityLevel> subjectCompatibility(String subject) {
    try {
      return Optional.of(level(send("GET", "/config/" + encode(subject), null)));
    } catch (SchemaRegistryException.NotFoundException e) {
      return Optional.empty();
    }
  }

  @Override
  public CompatibilityLevel setGlobalCompatibility(CompatibilityLevel level) {
    return level(send("PUT", "/config", compatibilityBody(level)));
  }

  @Override
  public CompatibilityLevel setSubjectCompatibility(String subject, CompatibilityLevel level) {
    return level(send("PUT", "/config/" + encode(subject), compatibilityBody(level)));
  }

  @Override
  public boolean testCompatibility(String subject, String version, Schema schema) {
    JsonNode answer = send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/"
        + encode(version), schemaBody(schema));
    return answer.path("is_compatible").asBoolean(false);
  }

  @Override
  public List<Integer> deleteSubject(String subject, boolean permanent) {
    List<Integer> result = new ArrayList<>();
    send("DELETE", "/subjects/" + encode(subject) + (permanent ? "?permanent=true" : ""), null)
        .forEach(node -> result.add(node.asInt()));
    idsBySubject.remove(subject);
    latestBySubject.remove(subject);
    return result;
  }

  @Override
  public int deleteVersion(String subject, int version, boolean permanent) {
    JsonNode answer = send("DELETE", "/subjects/" + encode(subject) + "/versions/" + version
        + (permanent ? "?permanent=true" : ""), null);
    idsBySubject.remove(subject);
    latestBySubject.remove(subject);
    return answer.asInt();
  }

  @Override
  public void close() {
    // HttpClient has no close() before Java 21; its threads are daemons and end with the JVM.
  }

  private String schemaBody(Schema schema) {
    ObjectNode body = json.createObjectNode();
    body.put("schema", schema.toString());
    return body.toString();
  }

  private String compatibilityBody(CompatibilityLevel level) {
    ObjectNode body = json.createObjectNode();
    body.put("compatibility", level.name());
    return body.toString();
  }

  private static CompatibilityLevel level(JsonNode answer) {
    String name = answer.has("compatibilityLevel") ? answer.path("compatibilityLevel").asText()
        : answer.path("compatibility").asText();
    return CompatibilityLevel.parse(name).orElseThrow(() ->
        new SchemaRegistryException(200, -1, "unknown compatibility level '" + name + "'"));
  }

  private static RegisteredSchema registered(JsonNode node) {
    return new RegisteredSchema(node.path("subject").asText(), node.path("version").asInt(),
        node.path("id").asInt(), node.path("schema").asText());
  }

  private static String encode(String pathSegment) {
    return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** One REST call, with failover across URLs and bounded retries with backoff. */
  private JsonNode send(String method, String path, String body) {
    int attempts = config.maxRetries() + 1;
    Duration wait = config.retryWait();
    Exception last = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      URI base = config.urls().get((attempt - 1) % config.urls().size());
      try {
        HttpResponse<String> response = http.send(request(base, method, path, body),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        int status = response.statusCode();
        if (status < 300) {
          return response.body().isEmpty() ? json.nullNode() : json.readTree(response.body());
        }
        SchemaRegistryException error = error(status, response.body());
        if (status < 500 && status != 429) {
          throw error;
        }
        last = error;
      } catch (IOException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SchemaRegistryException.UnreachableException(
            "interrupted calling the schema registry", e);
      }
      if (attempt < attempts) {
        log.warn("schema registry {} {}{} failed (attempt {} of {}): {}; retrying in {} ms",
            method, base, path, attempt, attempts, last.toString(), wait.toMillis());
        pause(wait);
        wait = wait.multipliedBy(2).compareTo(config.retryMaxWait()) > 0
            ? config.retryMaxWait() : wait.multipliedBy(2);
      }
    }
    throw new SchemaRegistryException.UnreachableException("schema registry at "
        + config.urls() + " did not answer " + method + " " + path + " after " + attempts
        + " attempts: " + last, last);
  }

  private HttpRequest request(URI base, String method, String path, String body) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(config.requestTimeout())
        .header("Accept", ACCEPT);
    config.authorization().ifPresent(value -> builder.header("Authorization", value));
    if (body == null) {
      builder.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      builder.header("Content-Type", CONTENT_TYPE)
          .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }
    return builder.build();
  }

  private SchemaRegistryException error(int status, String body) {
    int code = status;
    String message = body;
    try {
      JsonNode node = json.readTree(body);
      code = node.path("error_code").asInt(status);
      message = node.path("message").asText(body);
    } catch (IOException | RuntimeException notJson) {
      // Keep the raw body: a proxy or a wrong URL answered, not the registry.
    }
    return SchemaRegistryException.of(status, code, message);
  }

  private static void pause(Duration wait) {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record CachedLatest(RegisteredSchema schema, long fetchedAtNanos) {
    boolean fresh(Duration ttl) {
      return ttl.isNegative() || System.nanoTime() - fetchedAtNanos < ttl.toNanos();
    }
  }
}
