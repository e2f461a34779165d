package io.chipstream.schema.registry;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;

/**
 * Registry client settings, named as Confluent's serializers name them so the same client
 * properties work with either.
 *
 * @param urls one or more registry base URLs, tried in order
 * @param authorization an HTTP basic {@code Authorization} header value, if credentials are set
 * @param maxRetries retries after the first attempt when the registry is unreachable or 5xx
 * @param retryWait the first backoff, doubled each retry
 * @param retryMaxWait the longest backoff
 * @param requestTimeout how long one HTTP request may take
 * @param latestCacheTtl how long a subject's latest version is cached; negative is forever
 */
public record RegistryClientConfig(
    List<URI> urls,
    Optional<String> authorization,
    int maxRetries,
    Duration retryWait,
    Duration retryMaxWait,
    Duration requestTimeout,
    Duration latestCacheTtl) {

  public static final String URL = "schema.registry.url";
  public static final String BASIC_AUTH_SOURCE = "basic.auth.credentials.source";
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
  public static final String MAX_RETRIES = "max.retries";
  public static final String RETRIES_WAIT_MS = "retries.wait.ms";
  public static final String RETRIES_MAX_WAIT_MS = "retries.max.wait.ms";
  public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
  public static final String LATEST_CACHE_TTL_SEC = "latest.cache.ttl.sec";

  /** Reads the settings from serde or client properties; only {@code schema.registry.url} is required. */
  public static RegistryClientConfig from(Map<String, ?> configs) {
    Object url = configs.get(URL);
    if (url == null || url.toString().isBlank()) {
      throw new ConfigException(URL + " is required (e.g. http://localhost:8081)");
    }
    List<URI> urls = new ArrayList<>();
    for (String part : url.toString().split(",")) {
      String trimmed = part.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      URI uri = URI.create(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1)
          : trimmed);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        throw new ConfigException(URL, trimmed, "must be an http or https URL");
      }
      urls.add(uri);
    }
    return new RegistryClientConfig(List.copyOf(urls), authorization(configs),
        intValue(configs, MAX_RETRIES, 3),
        Duration.ofMillis(intValue(configs, RETRIES_WAIT_MS, 200)),
        Duration.ofMillis(intValue(configs, RETRIES_MAX_WAIT_MS, 5_000)),
        Duration.ofMillis(intValue(configs, REQUEST_TIMEOUT_MS, 10_000)),
        Duration.ofSeconds(intValue(configs, LATEST_CACHE_TTL_SEC, -1)));
  }

  private static Optional<String> authorization(Map<String, ?> configs) {
    Object source = configs.get(BASIC_AUTH_SOURCE);
    Object userInfo = configs.get(BASIC_AUTH_USER_INFO);
    if (source != null && !"USER_INFO".equalsIgnoreCase(source.toString())) {
      throw new ConfigException(BASIC_AUTH_SOURCE, source, "only USER_INFO is supported");
    }
    if (userInfo == null || userInfo.toString().isEmpty()) {
      return Optional.empty();
    }
    if (!userInfo.toString().contains(":")) {
      throw new ConfigException(BASIC_AUTH_USER_INFO, "(hidden)", "must be user:password");
    }
    return Optional.of("Basic " + Base64.getEncoder()
        .encodeToString(userInfo.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  private static int intValue(Map<String, ?> configs, String key, int defaultValue) {
    Object value = configs.get(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      return value instanceof Number n ? n.intValue() : Integer.parseInt(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key, value, "must be a whole number");
    }
  }
}
