package dev.nonlinear.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --out DIR}: the folder the pictures and other files of a command go to. */
final class OutputOptions {

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "out", description = "Folder for "
      + "the files the command writes, created if missing (default: ${DEFAULT-VALUE}).")
  Path outDir;

  /**
   * Creates the folder if needed and checks that a file can be made in it, so a run is refused
   * before its work rather than failing at the end; returns the folder.
   */
  Path prepare(CommandLine commandLine) {
    return prepare(outDir, commandLine);
  }

  /**
   * The folder {@code name} inside --out DIR, prepared as {@link #prepare(CommandLine)} does
   * (pictures of one kind kept together, as {@code activations/}).
   */
  Path prepare(String name, CommandLine commandLine) {
    prepare(commandLine);
    return prepare(outDir.resolve(name), commandLine);
  }

  private static Path prepare(Path folder, CommandLine commandLine) {
    try {
      Files.createDirectories(folder);
    } catch (IOException | UnsupportedOperationException e) {
      throw new CommandLine.ParameterException(commandLine, "--out " + folder
          + ": cannot create the folder (" + e.getClass().getSimpleName() + " "
          + e.getMessage() + ")");
    }
    if (!canCreateFileIn(folder)) {
      throw new CommandLine.ParameterException(commandLine, "--out " + folder
          + ": cannot create a file in that folder");
    }
    return folder;
  }

  /**
   * Refuses a {@code --save FILE} that could not be written, before any training: its folder
   * missing or not writable, or FILE itself a folder.
   */
  static void checkSaveFile(Path file, CommandLine commandLine) {
    Path parent = file.toAbsolutePath().getParent();
    if (parent == null || !Files.isDirectory(parent) || !canCreateFileIn(parent)) {
      throw new CommandLine.ParameterException(commandLine, "--save " + file + ": folder "
          + parent + " does not exist or is not writable");
    }
    if (Files.isDirectory(file)) {
      throw new CommandLine.ParameterException(commandLine, "--save " + file + ": is a folder");
    }
  }

  /**
   * Whether a file can really be made in {@code folder}: Files.isWritable says yes to root for
   * folders such as /proc, and a write that fails after a whole training run wastes the run.
   */
  static boolean canCreateFileIn(Path folder) {
    try {
      Files.delete(Files.createTempFile(folder, ".nonlinear-write-check", ".tmp"));
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
