package dev.nonlinear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nonlinear.kernel.Backend;
import dev.nonlinear.kernel.Parallel;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class InfoCommandTest {

  @Test
  void reportsBackendThreadsJavaOsAndCpu() {
    CliRunner run = CliRunner.run("info");

    assertEquals(0, run.exitCode(), run.transcript());
    String out = run.out();
    assertTrue(out.contains("backend:  " + Backend.current().kind().name().toLowerCase(
        Locale.ROOT)), out);
    assertTrue(out.contains("threads:  " + Parallel.threads() + " ("), out);
    assertTrue(out.contains("java:     " + System.getProperty("java.version")), out);
    assertTrue(out.contains("os:       " + System.getProperty("os.name")), out);
    assertTrue(out.contains("cpu:      "), out);
  }

  @Test
  void readsTheCpuModelWhereProcCpuinfoExists() {
    String model = InfoCommand.cpuModel();
    assertFalse(model.isBlank());
    if (java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/cpuinfo"))) {
      assertFalse(model.startsWith("unknown (no /proc"), model);
    }
  }

  @Test
  void helpSubcommandShowsACommandsOptions() {
    CliRunner run = CliRunner.run("help", "train");
    assertEquals(0, run.exitCode(), run.transcript());
    assertTrue(run.out().contains("--batch-size"), run.transcript());
  }

  @Test
  void withoutASubcommandPrintsUsage() {
    CliRunner run = CliRunner.run();
    assertEquals(0, run.exitCode(), run.transcript());
    assertTrue(run.out().contains("train") && run.out().contains("info"), run.transcript());
  }
}
