package io.chipstream.producers.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Progress of a long run: a bar redrawn in place on a terminal, a plain line every few seconds
 * otherwise (logs, CI), and a summary at the end.
 */
public final class Progress {
  private static final long PLAIN_EVERY_NANOS = 5_000_000_000L;
  private static final long BAR_EVERY_NANOS = 200_000_000L;

  private final PrintStream out;
  private final boolean terminal;
  private final long total;
  private final long startedAt = System.nanoTime();
  private long lastDraw;

  /**
   * @param out where to write
   * @param terminal whether {@code out} is a terminal (redraw in place)
   * @param total the number of events expected, or -1 when unbounded
   */
  public Progress(PrintStream out, boolean terminal, long total) {
    this.out = out;
    this.terminal = terminal;
    this.total = total;
  }

  /**
   * Updates the display if it is due; cheap to call for every event, as {@code detail} is only
   * made when a line is drawn.
   */
  public void update(long sent, Supplier<String> detail) {
    long now = System.nanoTime();
    if (now - lastDraw < (terminal ? BAR_EVERY_NANOS : PLAIN_EVERY_NANOS)) {
      return;
    }
    lastDraw = now;
    String line = line(sent, detail.get(), now);
    if (terminal) {
      out.print("\r" + line + "   ");
    } else {
      out.println(line);
    }
    out.flush();
  }

  /** The final line. */
  public void finish(long sent, String detail) {
    if (terminal) {
      out.println();
    }
    out.println("done: " + line(sent, detail, System.nanoTime()));
    out.flush();
  }

  private String line(long sent, String detail, long now) {
    double seconds = Math.max(1e-9, (now - startedAt) / 1e9);
    String rate = String.format(Locale.ROOT, "%,.0f/s", sent / seconds);
    String elapsed = String.format(Locale.ROOT, "%.1fs", seconds);
    if (total > 0) {
      int width = 30;
      int filled = (int) Math.min(width, width * sent / total);
      return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] "
          + String.format(Locale.ROOT, "%,d/%,d", sent, total) + "  " + rate + "  " + elapsed
          + "  " + detail;
    }
    return String.format(Locale.ROOT, "%,d sent", sent) + "  " + rate + "  " + elapsed + "  "
        + detail;
  }
}
