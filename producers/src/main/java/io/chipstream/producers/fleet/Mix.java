package io.chipstream.producers.fleet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * A weighted choice, written {@code name=weight,name=weight}.
 *
 * @param <T> what is chosen
 */
public final class Mix<T> {
  private final List<T> items = new ArrayList<>();
  private final double[] cumulative;

  public Mix(Map<T, Double> weights) {
    if (weights.isEmpty()) {
      throw new IllegalArgumentException("a mix needs at least one entry");
    }
    cumulative = new double[weights.size()];
    double total = 0;
    int i = 0;
    for (Map.Entry<T, Double> entry : weights.entrySet()) {
      if (!(entry.getValue() >= 0) || entry.getValue().isInfinite()) {
        throw new IllegalArgumentException("weight of " + entry.getKey()
            + " must be a number, 0 or more");
      }
      total += entry.getValue();
      items.add(entry.getKey());
      cumulative[i++] = total;
    }
    if (total <= 0) {
      throw new IllegalArgumentException("a mix needs a positive weight");
    }
  }

  /** Parses {@code a=3,b=1} with {@code parse} for the names. */
  public static <T> Mix<T> parse(String text, Function<String, T> parse) {
    Map<T, Double> weights = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      String[] kv = part.trim().split("=");
      if (kv.length != 2) {
        throw new IllegalArgumentException("'" + part.trim() + "' is not name=weight");
      }
      try {
        weights.merge(parse.apply(kv[0].trim()), Double.parseDouble(kv[1].trim()), Double::sum);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("weight '" + kv[1].trim() + "' is not a number");
      }
    }
    return new Mix<>(weights);
  }

  public T draw(Random random) {
    double x = random.nextDouble() * cumulative[cumulative.length - 1];
    for (int i = 0; i < cumulative.length; i++) {
      if (x < cumulative[i]) {
        return items.get(i);
      }
    }
    return items.get(items.size() - 1);
  }

  public List<T> items() {
    return List.copyOf(items);
  }
}
