package dev.nonlinear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad option values stop before any data is read, with exit code 2 and a clear message. */
class OptionValidationTest {

  @TempDir
  static Path dir;

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', textBlock = """
      --epochs     | 0         | --epochs = 0: expected at least 1
      --epochs     | -3        | --epochs = -3: expected at least 1
      --epochs     | many      | Invalid value for option '--epochs'
      --batch-size | 0         | --batch-size = 0: expected at least 1
      --lr         | 0         | --lr = 0.0: expected a finite number > 0
      --lr         | -0.5      | --lr = -0.5: expected a finite number > 0
      --lr         | NaN       | --lr = NaN: expected a finite number > 0
      --lr         | Infinity  | --lr = Infinity: expected a finite number > 0
      --momentum   | -1        | --momentum = -1.0: expected a finite number >= 0
      --threads    | 0         | --threads = 0: expected 1 to 1024
      --threads    | 1025      | --threads = 1025: expected 1 to 1024
      --limit      | 0         | --limit = 0: expected at least 1
      --data       | /nonexistent/fashion | --data /nonexistent/fashion: expected the files
      --save       | /nonexistent/dir/w.safetensors | folder /nonexistent/dir does not exist
      """)
  void rejectsWithExitCodeTwo(String option, String value, String expectedMessage) {
    CliRunner run = CliRunner.run("train", option, value);

    assertEquals(2, run.exitCode(), run.transcript());
    assertTrue(run.err().contains(expectedMessage), run.transcript());
    assertTrue(run.err().contains("Try 'nonlinear train --help'"), run.transcript());
    assertTrue(!run.out().contains("training on"), "stopped before training\n"
        + run.transcript());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      --sample and --data | --sample and --data DIR exclude each other
      unknown option      | Unknown options: '--learning-rate'
      """)
  void rejectsConflictsAndUnknownOptions(String what, String expectedMessage) {
    String[] args = what.startsWith("--sample")
        ? new String[] {"train", "--sample", "--data", dir.toString()}
        : new String[] {"train", "--learning-rate", "0.1"};
    CliRunner run = CliRunner.run(args);

    assertEquals(2, run.exitCode(), run.transcript());
    assertTrue(run.err().contains(expectedMessage), run.transcript());
  }
}
