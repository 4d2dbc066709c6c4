package dev.nonlinear.io;

import java.nio.file.Path;

/**
 * Reads the picture named by the argument and prints what happened on one line: {@code ok},
 * or the class and message of what was thrown. {@link ImagesTest} runs it in a JVM with a small
 * heap, where an {@link OutOfMemoryError} would otherwise end the program.
 */
final class SmallHeapReader {

  private SmallHeapReader() {}

  public static void main(String[] args) {
    try {
      RgbImage image = Images.read(Path.of(args[0]));
      System.out.println("ok " + image);
    } catch (Throwable e) {
      System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }
}
