package dev.nonlinear.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * The {@code --out DIR} folder of commands that write files other than pictures (their option
 * says what they write; {@link OutputOptions} serves the commands that write pictures), checked
 * the same way before any work.
 */
final class OutputFolder {

  private OutputFolder() {}

  /**
   * {@code folder}, created with its parents when missing.
   *
   * @throws CommandLine.ParameterException naming the folder when it cannot be made or a file
   *     cannot be created in it
   */
  static Path prepare(Path folder, CommandLine commandLine) {
    try {
      Files.createDirectories(folder);
    } catch (IOException | UnsupportedOperationException e) {
      throw new CommandLine.ParameterException(commandLine, "--out " + folder
          + ": cannot create the folder (" + e.getClass().getSimpleName() + " "
          + e.getMessage() + ")");
    }
    if (!OutputOptions.canCreateFileIn(folder)) {
      throw new CommandLine.ParameterException(commandLine, "--out " + folder
          + ": cannot create a file in that folder");
    }
    return folder;
  }
}
