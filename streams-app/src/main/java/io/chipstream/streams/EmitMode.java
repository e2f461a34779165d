package io.chipstream.streams;

/** When a window's efficiency is written. */
public enum EmitMode {
  /** On every update while the window is open: live, many records per window. */
  EAGER,
  /** Once, after the window closes (its end plus the grace period): one final record. */
  FINAL
}
