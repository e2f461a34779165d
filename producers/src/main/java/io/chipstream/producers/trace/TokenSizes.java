package io.chipstream.producers.trace;

import java.util.List;
import java.util.Random;

/**
 * The empirical distribution of (prompt, output) sizes of a trace: a draw is a real request's
 * sizes, so the mix of short and long requests, and their correlation, is the trace's own.
 */
public final class TokenSizes {
  private final int[] prompts;
  private final int[] outputs;

  public TokenSizes(List<TraceRow> rows) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("no rows to draw sizes from");
    }
    prompts = rows.stream().mapToInt(TraceRow::contextTokens).toArray();
    outputs = rows.stream().mapToInt(TraceRow::generatedTokens).toArray();
  }

  /** The sizes of the bundled Azure trace. */
  public static TokenSizes builtIn() {
    return new TokenSizes(TraceCsv.builtIn().rows());
  }

  /**
   * A draw: {@code [promptTokens, outputTokens]}; a request with no tokens at all is drawn
   * again, since the pipeline rejects those.
   */
  public int[] draw(Random random) {
    while (true) {
      int i = random.nextInt(prompts.length);
      if (prompts[i] + outputs[i] > 0) {
        return new int[] {prompts[i], Math.max(1, outputs[i])};
      }
    }
  }

  public int size() {
    return prompts.length;
  }
}
