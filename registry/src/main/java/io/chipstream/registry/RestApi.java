package io.chipstream.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.chipstream.registry.RegistryState.Version;
import io.chipstream.schema.registry.CompatibilityLevel;
import io.chipstream.schema.registry.RegisteredSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Confluent Schema Registry REST API, the part serializers, tools and Kafka UI use. Every
 * error is a JSON body with {@code error_code} and {@code message}, never a stack trace.
 */
final class RestApi implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(RestApi.class);
  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  private final SchemaRegistryService service;
  private final int maxBodyBytes;
  private final Optional<byte[]> expectedAuthorization;
  private final ObjectMapper json = new ObjectMapper();

  RestApi(SchemaRegistryService service, int maxBodyBytes, Optional<String> basicAuthUserInfo) {
    this.service = service;
    this.maxBodyBytes = maxBodyBytes;
    this.expectedAuthorization = basicAuthUserInfo.map(info -> ("Basic "
        + java.util.Base64.getEncoder().encodeToString(info.getBytes(StandardCharsets.UTF_8)))
        .getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    Response response;
    try {
      authorize(exchange);
      response = route(exchange);
    } catch (RegistryError e) {
      response = error(e.status, e.errorCode, e.getMessage());
    } catch (RuntimeException e) {
      log.error("unexpected error serving {} {}", exchange.getRequestMethod(),
          exchange.getRequestURI(), e);
      response = error(500, 50001, "Internal error: " + e.getClass().getSimpleName());
    }
    send(exchange, response);
  }

  private void authorize(HttpExchange exchange) {
    if (expectedAuthorization.isEmpty()) {
      return;
    }
    String given = exchange.getRequestHeaders().getFirst("Authorization");
    if (given == null || !MessageDigest.isEqual(expectedAuthorization.get(),
        given.getBytes(StandardCharsets.UTF_8))) {
      exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"schema-registry\"");
      throw new RegistryError(401, 401, "Unauthorized");
    }
  }

  private Response route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    List<String> path = segments(exchange.getRequestURI().getRawPath());
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    boolean deleted = flag(query, "deleted");
    int n = path.size();
    String head = n == 0 ? "" : path.get(0);

    switch (head) {
      case "" -> {
        requireMethod(method, "GET");
        return ok(json.createObjectNode());
      }
      case "schemas" -> {
        if (n == 2 && path.get(1).equals("types")) {
          requireMethod(method, "GET");
          return ok(json.createArrayNode().add("AVRO"));
        }
        if (n >= 3 && path.get(1).equals("ids")) {
          requireMethod(method, "GET");
          int id = schemaId(path.get(2));
          if (n == 3) {
            ObjectNode body = json.createObjectNode();
            body.put("schema", service.schemaById(id));
            return ok(body);
          }
          if (n == 4 && path.get(3).equals("schema")) {
            return ok(json.readTree(service.schemaById(id)));
          }
          if (n == 4 && path.get(3).equals("versions")) {
            ArrayNode body = json.createArrayNode();
            for (Version v : service.versionsOfId(id, deleted)) {
              body.addObject().put("subject", v.subject()).put("version", v.version());
            }
            return ok(body);
          }
        }
        throw notFound();
      }
      case "subjects" -> {
        return subjects(method, path, query, exchange);
      }
      case "config" -> {
        return config(method, path, query, exchange);
      }
      case "compatibility" -> {
        if (n >= 4 && path.get(1).equals("subjects") && path.get(3).equals("versions")
            && n <= 5) {
          requireMethod(method, "POST");
          String subject = path.get(2);
          String schema = schemaFrom(readJson(exchange));
          List<String> problems = service.compatibilityProblems(subject,
              n == 5 ? path.get(4) : null, schema);
          ObjectNode body = json.createObjectNode();
          body.put("is_compatible", problems.isEmpty());
          if (flag(query, "verbose")) {
            ArrayNode messages = body.putArray("messages");
            problems.forEach(messages::add);
          }
          return ok(body);
        }
        throw notFound();
      }
      case "mode" -> {
        requireMethod(method, "GET");
        ObjectNode body = json.createObjectNode();
        body.put("mode", "READWRITE");
        return ok(body);
      }
      default -> throw notFound();
    }
  }

  private Response subjects(String method, List<String> path, Map<String, String> query,
      HttpExchange exchange) throws IOException {
    int n = path.size();
    boolean deleted = flag(query, "deleted");
    if (n == 1) {
      requireMethod(method, "GET");
      ArrayNode body = json.createArrayNode();
      service.subjects(deleted).forEach(body::add);
      return ok(body);
    }
    String subject = path.get(1);
    if (n == 2) {
      requireMethod(method, "POST", "DELETE");
      if (method.equals("DELETE")) {
        ArrayNode body = json.createArrayNode();
        service.deleteSubject(subject, flag(query, "permanent")).forEach(body::add);
        return ok(body);
      }
      return ok(registered(service.lookup(subject, schemaFrom(readJson(exchange)), deleted)));
    }
    if (!path.get(2).equals("versions")) {
      throw notFound();
    }
    if (n == 3) {
      requireMethod(method, "GET", "POST");
      if (method.equals("POST")) {
        int id = service.register(subject, schemaFrom(readJson(exchange)));
        ObjectNode body = json.createObjectNode();
        body.put("id", id);
        return ok(body);
      }
      ArrayNode body = json.createArrayNode();
      service.versions(subject, deleted).forEach(body::add);
      return ok(body);
    }
    String version = path.get(3);
    if (n == 4) {
      requireMethod(method, "GET", "DELETE");
      if (method.equals("DELETE")) {
        return ok(json.getNodeFactory().numberNode(
            service.deleteVersion(subject, version, flag(query, "permanent"))));
      }
      return ok(registered(service.version(subject, version, deleted)));
    }
    if (n == 5 && path.get(4).equals("schema")) {
      requireMethod(method, "GET");
      return ok(json.readTree(service.version(subject, version, deleted).schema()));
    }
    if (n == 5 && path.get(4).equals("referencedby")) {
      requireMethod(method, "GET");
      service.version(subject, version, deleted);
      return ok(json.createArrayNode());
    }
    throw notFound();
  }

  private Response config(String method, List<String> path, Map<String, String> query,
      HttpExchange exchange) throws IOException {
    int n = path.size();
    if (n > 2) {
      throw notFound();
    }
    String subject = n == 2 ? path.get(1) : null;
    requireMethod(method, "GET", "PUT", subject == null ? "GET" : "DELETE");
    ObjectNode body = json.createObjectNode();
    switch (method) {
      case "PUT" -> {
        JsonNode request = readJson(exchange);
        JsonNode level = request.get("compatibility");
        if (level == null || !level.isTextual()) {
          throw RegistryError.invalidCompatibility(level == null ? "" : level.toString());
        }
        body.put("compatibility", service.setCompatibility(subject, level.asText()).name());
      }
      case "DELETE" -> body.put("compatibilityLevel",
          service.deleteSubjectCompatibility(subject).name());
      default -> {
        CompatibilityLevel level = subject == null ? service.globalCompatibility()
            : service.subjectCompatibility(subject, flag(query, "defaultToGlobal"));
        body.put("compatibilityLevel", level.name());
      }
    }
    return ok(body);
  }

  private ObjectNode registered(RegisteredSchema schema) {
    ObjectNode body = json.createObjectNode();
    body.put("subject", schema.subject());
    body.put("version", schema.version());
    body.put("id", schema.id());
    body.put("schema", schema.schema());
    return body;
  }

  private String schemaFrom(JsonNode request) {
    JsonNode type = request.get("schemaType");
    if (type != null && !type.isNull() && !"AVRO".equals(type.asText())) {
      throw RegistryError.invalidSchema("schema type " + type.asText()
          + " is not supported; this registry stores AVRO schemas");
    }
    JsonNode references = request.get("references");
    if (references != null && references.isArray() && !references.isEmpty()) {
      throw RegistryError.invalidSchema("schema references are not supported");
    }
    JsonNode schema = request.get("schema");
    if (schema == null || !schema.isTextual()) {
      throw RegistryError.invalidSchema("the request body needs a \"schema\" string");
    }
    return schema.asText();
  }

  private JsonNode readJson(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(maxBodyBytes + 1);
    }
    if (body.length > maxBodyBytes) {
      throw new RegistryError(413, 413, "Request body larger than " + maxBodyBytes + " bytes");
    }
    JsonNode node;
    try {
      node = json.readTree(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw RegistryError.badRequest("Malformed JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw RegistryError.badRequest("The request body must be a JSON object");
    }
    return node;
  }

  private static int schemaId(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw RegistryError.schemaNotFound("Schema " + text + " not found");
    }
  }

  private static void requireMethod(String method, String... allowed) {
    if (!Arrays.asList(allowed).contains(method)) {
      throw new RegistryError(405, 405, "HTTP 405 Method Not Allowed");
    }
  }

  private static RegistryError notFound() {
    return new RegistryError(404, 404, "HTTP 404 Not Found");
  }

  private static List<String> segments(String rawPath) {
    return Arrays.stream(rawPath.split("/"))
        .filter(s -> !s.isEmpty())
        .map(s -> URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8))
        .toList();
  }

  private static Map<String, String> query(String rawQuery) {
    Map<String, String> params = new HashMap<>();
    if (rawQuery == null) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.put(key, value);
    }
    return params;
  }

  private static boolean flag(Map<String, String> query, String name) {
    return "true".equalsIgnoreCase(query.get(name));
  }

  private Response ok(JsonNode body) {
    return new Response(200, body.toString());
  }

  private Response error(int status, int code, String message) {
    ObjectNode body = json.createObjectNode();
    body.put("error_code", code);
    body.put("message", message);
    return new Response(status, body.toString());
  }

  private static void send(HttpExchange exchange, Response response) throws IOException {
    byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
    exchange.sendResponseHeaders(response.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private record Response(int status, String body) {}
}
