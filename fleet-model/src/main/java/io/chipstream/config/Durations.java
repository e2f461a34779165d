package io.chipstream.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes durations as people write them: {@code 500ms}, {@code 30s}, {@code 5m},
 * {@code 1h}.
 */
public final class Durations {
  private static final Pattern FORMAT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private Durations() {}

  public static Duration parse(String text) {
    Matcher m = FORMAT.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration; write e.g. 500ms,"
          + " 30s, 5m, 1h or 1d");
    }
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }

  /**
   * {@code duration} as {@link #parse} reads it, in the largest unit that divides it: {@code 2m},
   * {@code 90s}, {@code 1500ms}; a negative one with a minus sign.
   */
  public static String format(Duration duration) {
    long ms = duration.toMillis();
    String sign = ms < 0 ? "-" : "";
    long abs = Math.abs(ms);
    long[] units = {86_400_000, 3_600_000, 60_000, 1_000};
    String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (abs != 0 && abs % units[i] == 0) {
        return sign + abs / units[i] + names[i];
      }
    }
    return sign + abs + "ms";
  }
}
