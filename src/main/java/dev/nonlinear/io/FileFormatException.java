package dev.nonlinear.io;

import java.io.IOException;

/**
 * A file (or stream) whose bytes do not follow the format it was read as: a bad magic number, a
 * header that contradicts itself or the file's size, data cut short. The message names the
 * source first, then the problem.
 */
public class FileFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  private final String source;

  /** A problem {@code problem} found in {@code source} (a path or a resource name). */
  public FileFormatException(String source, String problem) {
    super(source + ": " + problem);
    this.source = source;
  }

  /** The file or resource the problem was found in. */
  public String source() {
    return source;
  }
}
