package io.chipstream.producers.trace;

/** A trace line that cannot be read; the message names the file and line. */
public class TraceFormatException extends RuntimeException {
  public TraceFormatException(String source, int line, String problem) {
    super(source + " line " + line + ": " + problem);
  }
}
