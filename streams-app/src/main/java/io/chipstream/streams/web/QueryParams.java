package io.chipstream.streams.web;

import io.chipstream.avro.ChipFamily;
import io.chipstream.config.Durations;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** A request's query parameters, checked: unknown names and bad values are 400s. */
final class QueryParams {
  private final Map<String, String> values = new HashMap<>();

  QueryParams(String rawQuery, Set<String> allowed) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      if (!allowed.contains(name)) {
        throw new BadRequest("unknown parameter '" + name + "'; allowed: " + allowed);
      }
      if (values.put(name, eq < 0 ? "" : decode(pair.substring(eq + 1))) != null) {
        throw new BadRequest("parameter '" + name + "' is given more than once");
      }
    }
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BadRequest("malformed percent-encoding in the query: " + e.getMessage());
    }
  }

  Instant instant(String name, Instant defaultValue) {
    String value = values.get(name);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new BadRequest(name + " '" + value + "' is not an ISO-8601 instant such as"
          + " 2026-11-27T10:00:00Z");
    }
  }

  ChipFamily family(String name) {
    String value = values.get(name);
    if (value == null) {
      return null;
    }
    try {
      return ChipFamily.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadRequest(name + " '" + value + "' is not one of "
          + Arrays.toString(ChipFamily.values()));
    }
  }

  /** Checks a range: from before to, and at most {@code max} long. */
  static void checkRange(Instant from, Instant to, Duration max) {
    if (!from.isBefore(to)) {
      throw new BadRequest("from " + from + " must be before to " + to);
    }
    if (Duration.between(from, to).compareTo(max) > 0) {
      throw new BadRequest("the range " + from + " .. " + to + " is longer than "
          + Durations.format(max));
    }
  }
}
