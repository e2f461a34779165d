package io.chipstream.schema.serde;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte array that {@link CompiledWriter} encodes into, in Avro's binary encoding:
 * zig-zag varints, little-endian floating point, length-prefixed strings and bytes. One per
 * thread, reused from record to record; {@link #toByteArray} is the one copy a record costs.
 */
final class Output {
  private byte[] buf;
  private int pos;

  Output(int capacity) {
    buf = new byte[capacity];
  }

  /** Empties the buffer and skips {@code reserved} bytes, to be filled in later (a header). */
  void reset(int reserved) {
    pos = 0;
    ensure(reserved);
    pos = reserved;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }

  private void ensure(int more) {
    if (buf.length - pos < more) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
    }
  }

  void writeBoolean(boolean value) {
    ensure(1);
    buf[pos++] = (byte) (value ? 1 : 0);
  }

  void writeInt(int value) {
    ensure(5);
    int n = (value << 1) ^ (value >> 31);
    while ((n & ~0x7f) != 0) {
      buf[pos++] = (byte) ((n & 0x7f) | 0x80);
      n >>>= 7;
    }
    buf[pos++] = (byte) n;
  }

  void writeLong(long value) {
    ensure(10);
    long n = (value << 1) ^ (value >> 63);
    while ((n & ~0x7fL) != 0) {
      buf[pos++] = (byte) ((n & 0x7f) | 0x80);
      n >>>= 7;
    }
    buf[pos++] = (byte) n;
  }

  void writeFloat(float value) {
    ensure(4);
    int bits = Float.floatToRawIntBits(value);
    for (int i = 0; i < 4; i++) {
      buf[pos++] = (byte) (bits >>> (8 * i));
    }
  }

  void writeDouble(double value) {
    ensure(8);
    long bits = Double.doubleToRawLongBits(value);
    for (int i = 0; i < 8; i++) {
      buf[pos++] = (byte) (bits >>> (8 * i));
    }
  }

  /**
   * A string as its UTF-8 length and bytes. Plain ASCII, what nearly every string here is (ids,
   * chip models), is copied character by character with no intermediate array.
   */
  void writeString(String value) {
    int length = value.length();
    ensure(5 + length);
    int start = pos;
    writeInt(length);
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c >= 0x80) {
        pos = start; // not ASCII: let the JDK encode it
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        writeBytes(utf8, 0, utf8.length);
        return;
      }
      buf[pos++] = (byte) c;
    }
  }

  /** Bytes (or a string's UTF-8), length first. */
  void writeBytes(byte[] bytes, int offset, int length) {
    writeInt(length);
    ensure(length);
    System.arraycopy(bytes, offset, buf, pos, length);
    pos += length;
  }

  /** A fixed's bytes, no length. */
  void writeFixed(byte[] bytes, int length) {
    ensure(length);
    System.arraycopy(bytes, 0, buf, pos, length);
    pos += length;
  }
}
