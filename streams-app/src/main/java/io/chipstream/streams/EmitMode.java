package io.chipstream.streams;

/** When a window's efficiency is written. */
public enum EmitMode {
  /** On every update while the window is open: live, many records per window. */
  EAGER,
  /** Once, after the window closes (its end plus the grace period): one final record. */
  FINAL;

  /** {@code eager} or {@code final}, in any case; a clear error naming {@code --emit} else. */
  public static EmitMode parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--emit must be eager or final, not '" + value + "'");
    }
  }
}
