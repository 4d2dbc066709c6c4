package dev.nonlinear.cli;

import dev.nonlinear.kernel.Backend;
import dev.nonlinear.kernel.Parallel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code nonlinear info}: the backend, threads, JDK, OS and CPU this run would use. */
@Command(name = "info", mixinStandardHelpOptions = true,
    description = "Shows the kernel backend, threads, JDK, OS and CPU.")
final class InfoCommand implements Callable<Integer> {

  private static final Path CPUINFO = Path.of("/proc/cpuinfo");

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Backend backend = Backend.current();
    String version = new Main.Version().getVersion()[0];
    out.println(version);
    out.println("backend:  " + backend.kind().name().toLowerCase(java.util.Locale.ROOT)
        + (backend.kind() == Backend.Kind.VECTOR ? ", " + backend.vectorBitSize() + "-bit ("
            + backend.floatLanes() + " float lanes)" : "") + "; " + backend.reason());
    out.println("threads:  " + Parallel.threads() + " (" + Runtime.getRuntime()
        .availableProcessors() + " available processors)");
    out.println("java:     " + System.getProperty("java.version") + " ("
        + System.getProperty("java.vm.name") + ", " + System.getProperty("java.vm.vendor")
        + ") at " + System.getProperty("java.home"));
    out.println("os:       " + System.getProperty("os.name") + " "
        + System.getProperty("os.version") + " (" + System.getProperty("os.arch") + ")");
    out.println("cpu:      " + cpuModel());
    return CommandLine.ExitCode.OK;
  }

  /** The CPU's model name from /proc/cpuinfo, or "unknown" where there is none. */
  static String cpuModel() {
    if (!Files.isReadable(CPUINFO)) {
      return "unknown (no " + CPUINFO + ")";
    }
    try (Stream<String> lines = Files.lines(CPUINFO)) {
      return lines.filter(line -> line.startsWith("model name"))
          .map(line -> line.substring(line.indexOf(':') + 1).trim())
          .findFirst().orElse("unknown (no model name in " + CPUINFO + ")");
    } catch (IOException | java.io.UncheckedIOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }
}
