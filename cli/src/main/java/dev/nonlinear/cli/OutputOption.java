package dev.nonlinear.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --out DIR} option of the commands that draw pictures. */
final class OutputOption {

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "out",
      description = "Folder for the pictures, created if missing (default: ${DEFAULT-VALUE}).")
  Path directory;

  /** --out DIR itself, created with its parents if missing. */
  Path folder() throws IOException {
    return create(directory);
  }

  /** The folder {@code name} inside --out DIR, created with its parents if missing. */
  Path folder(String name) throws IOException {
    return create(directory.resolve(name));
  }

  private static Path create(Path folder) throws IOException {
    try {
      return Files.createDirectories(folder);
    } catch (FileAlreadyExistsException e) {
      throw new IOException("--out: " + e.getFile() + " exists and is not a folder", e);
    }
  }
}
