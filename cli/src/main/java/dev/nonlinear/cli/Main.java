package dev.nonlinear.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code nonlinear} command line: {@code train}, {@code evaluate}, {@code predict},
 * {@code autoencoder}, {@code classify}, {@code rnn}, {@code sentiment} and {@code info};
 * {@code activations}, {@code vanishing}, {@code xor}, {@code boundary} and
 * {@code approximate} draw pictures.
 *
 * <p>Exit codes: 0 success, 1 a failure while running (unreadable data, I/O), 2 a usage error
 * (bad option values), 3 training diverged (the loss became NaN or infinite).
 */
@Command(name = "nonlinear", mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Neural networks on the Java Vector API.",
    subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class,
        AutoencoderCommand.class, ClassifyCommand.class, RnnCommand.class,
        SentimentCommand.class, ActivationsCommand.class, VanishingCommand.class,
        XorCommand.class, BoundaryCommand.class, ApproximateCommand.class, InfoCommand.class,
        CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        " 0:success",
        " 1:failure while running (data, I/O)",
        " 2:usage error (invalid options)",
        " 3:training diverged (NaN or infinite loss)"})
public final class Main implements Runnable {

  /** Training stopped because the loss stopped being a number. */
  static final int EXIT_DIVERGED = 3;

  @CommandLine.Spec
  private CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    // One short line per log record (the backend choice) instead of JUL's two-line default;
    // a format given on the command line wins.
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%6$s%n");
    }
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line with the given streams and returns the exit code (for tests). */
  static int run(String[] args, PrintWriter out, PrintWriter err) {
    // Pictures are drawn off screen: never look for a display, even where one is set.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setParameterExceptionHandler((exception, args1) -> {
      CommandLine failed = exception.getCommandLine();
      failed.getErr().println("error: " + exception.getMessage());
      failed.getErr().println("Try '" + failed.getCommandSpec().qualifiedName()
          + " --help' for the options.");
      return CommandLine.ExitCode.USAGE;
    });
    commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
      line.getErr().println("error: " + exception.getMessage());
      if (!(exception instanceof java.io.IOException)) {
        exception.printStackTrace(line.getErr());
      }
      return CommandLine.ExitCode.SOFTWARE;
    });
    return commandLine.execute(args);
  }

  /** Without a subcommand: the usage. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The version from the jar's manifest, or "development" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"nonlinear " + (version == null ? "(development build)" : version)};
    }
  }
}
