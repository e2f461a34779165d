package io.chipstream.catalog;

/** A catalog file that cannot be loaded; the message names the file and line. */
public class CatalogFormatException extends RuntimeException {
  private final int line;

  public CatalogFormatException(String source, int line, String problem) {
    super(source + " line " + line + ": " + problem);
    this.line = line;
  }

  /** The 1-based line of the problem. */
  public int line() {
    return line;
  }
}
