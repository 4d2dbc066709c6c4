package dev.nonlinear.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code --out DIR} folder of the commands that write files: made when missing. */
final class OutputFolder {

  private OutputFolder() {}

  /**
   * {@code folder}, created with its parents when missing.
   *
   * @throws IOException naming the folder when it cannot be made or is a file
   */
  static Path create(Path folder) throws IOException {
    if (Files.exists(folder) && !Files.isDirectory(folder)) {
      throw new IOException("--out " + folder + ": is a file, not a folder");
    }
    try {
      return Files.createDirectories(folder);
    } catch (IOException e) {
      throw new IOException("--out " + folder + ": cannot create the folder ("
          + e.getClass().getSimpleName() + " " + e.getMessage() + ")", e);
    }
  }
}
