package dev.nonlinear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nonlinear.kernel.Backend;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built library run the three ways a user can run it, each in a fresh {@code java}: as the
 * named module {@code dev.nonlinear} on the module path, where its {@code requires} resolves the
 * Vector API; on the class path with {@code --add-modules jdk.incubator.vector}; and on the class
 * path without it, where the kernels fall back to scalar code and one warning names the remedy.
 * A small program (itself a module that requires {@code dev.nonlinear}) reports the backend and
 * the result of a kernel. Also the other ways the choice can go: the scalar backend forced, an
 * unknown {@code nonlinear.backend} value, an interpreter-only JVM.
 *
 * <p>The vector backend is expected wherever the module is readable: every 64-bit x86 and ARM
 * CPU offers 128-bit vectors, and these JVMs run with the JIT (the two other reasons for the
 * scalar backend).
 */
class LaunchModesTest {

  /** Bounds one child JVM; a start takes well under a second here. */
  private static final long CHILD_TIMEOUT_SECONDS = 60;

  private static final String REMEDY = "--add-modules jdk.incubator.vector";

  /** How java.util.logging's default format starts the library's warnings. */
  private static final String WARNING = "WARNING: nonlinear:";

  /** Eleven values, more than one vector of any width, so the vector body and the tail run. */
  private static final String PROBE = """
      package probe;

      import dev.nonlinear.kernel.Activations;
      import dev.nonlinear.kernel.Backend;
      import java.util.Arrays;

      public final class Probe {
        public static void main(String[] args) {
          float[] x = {-2f, -0.5f, -3f, 0.5f, 1f, 2f, 3f, -4f, 5f, -6f, 7f};
          float[] y = new float[x.length];
          Activations.relu(x, 0, y, 0, x.length);
          System.out.println("module=" + Backend.class.getModule().getName());
          System.out.println("kind=" + Backend.current().kind());
          System.out.println("relu=" + Arrays.toString(y));
        }
      }
      """;

  private static final String PROBE_MODULE = "module probe { requires dev.nonlinear; }\n";

  private static final String EXPECTED_RELU =
      "relu=[0.0, 0.0, 0.0, 0.5, 1.0, 2.0, 3.0, 0.0, 5.0, 0.0, 7.0]";

  @TempDir
  static Path dir;

  /** The library as the build made it: the jar under verify, the classes folder under test. */
  private static Path library;

  private static Path probeClasses;

  /** What one child JVM printed. */
  private record Run(String out, String err) {
    String line(String key) {
      return out.lines().filter(l -> l.startsWith(key + "=")).findFirst()
          .orElseGet(() -> fail("no " + key + "= line in the output:\n" + out + "\n" + err));
    }

    List<String> warnings() {
      return err.lines().filter(l -> l.startsWith(WARNING)).toList();
    }
  }

  @BeforeAll
  static void compileProbe() throws IOException, URISyntaxException {
    library = Path.of(Backend.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path sources = dir.resolve("probe-src");
    Files.createDirectories(sources.resolve("probe"));
    Files.writeString(sources.resolve("module-info.java"), PROBE_MODULE);
    Files.writeString(sources.resolve("probe/Probe.java"), PROBE);
    probeClasses = dir.resolve("probe-classes");

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream messages = new ByteArrayOutputStream();
    int status = javac.run(null, messages, messages, "--module-path", library.toString(),
        "-d", probeClasses.toString(), sources.resolve("module-info.java").toString(),
        sources.resolve("probe/Probe.java").toString());
    assertEquals(0, status, "the probe must compile against the exported packages only:\n"
        + messages.toString(StandardCharsets.UTF_8));
  }

  @Test
  void onTheModulePathTheRequiresResolvesTheVectorApi() {
    Run run = java("--module-path", library + java.io.File.pathSeparator + probeClasses,
        "--module", "probe/probe.Probe");

    assertEquals("module=dev.nonlinear", run.line("module"), run.err());
    assertEquals("kind=VECTOR", run.line("kind"), run.err());
    assertEquals(EXPECTED_RELU, run.line("relu"));
    assertEquals(List.of(), run.warnings());
  }

  @Test
  void onTheClassPathWithAddModulesTheVectorBackendRuns() {
    Run run = java("--add-modules", "jdk.incubator.vector", "--class-path", classPath(),
        "probe.Probe");

    assertEquals("module=null", run.line("module"), "the library must run unnamed here");
    assertEquals("kind=VECTOR", run.line("kind"), run.err());
    assertEquals(EXPECTED_RELU, run.line("relu"));
    assertEquals(List.of(), run.warnings());
  }

  @Test
  void onTheClassPathWithoutAddModulesScalarCodeRunsAndOneWarningSaysWhy() {
    Run run = java("--class-path", classPath(), "probe.Probe");

    assertEquals("module=null", run.line("module"));
    assertEquals("kind=SCALAR", run.line("kind"), run.err());
    assertEquals(EXPECTED_RELU, run.line("relu"));
    assertEquals(1, run.warnings().size(), run.err());
    String warning = run.warnings().get(0);
    assertTrue(warning.contains("using the scalar backend") && warning.contains(REMEDY), warning);
  }

  @Test
  void anUnknownBackendValueIsReportedOnceAndTheChoiceIsAutomatic() {
    Run run = java("--add-modules", "jdk.incubator.vector", "-Dnonlinear.backend=fast",
        "--class-path", classPath(), "probe.Probe");

    assertEquals("kind=VECTOR", run.line("kind"), run.err());
    assertEquals(EXPECTED_RELU, run.line("relu"));
    assertEquals(1, run.warnings().size(), run.err());
    assertTrue(run.warnings().get(0).contains("ignoring system property nonlinear.backend = "
        + "'fast'"), run.err());
  }

  @Test
  void theScalarBackendForcedOnTheModulePathRunsWithoutAWarning() {
    Run run = java("-Dnonlinear.backend=scalar", "--module-path",
        library + java.io.File.pathSeparator + probeClasses, "--module", "probe/probe.Probe");

    assertEquals("kind=SCALAR", run.line("kind"), run.err());
    assertEquals(EXPECTED_RELU, run.line("relu"));
    assertEquals(List.of(), run.warnings());
  }

  @Test
  void anInterpretedJvmRunsScalarCodeAndSaysHowToChangeThat() {
    Run run = java("-Xint", "--add-modules", "jdk.incubator.vector", "--class-path",
        classPath(), "probe.Probe");

    assertEquals("kind=SCALAR", run.line("kind"), run.err());
    assertEquals(EXPECTED_RELU, run.line("relu"));
    assertEquals(1, run.warnings().size(), run.err());
    assertTrue(run.warnings().get(0).contains("drop -Xint"), run.err());
  }

  @Test
  void theDescriptorExportsTheFourApiPackagesAndNothingElse() {
    ModuleDescriptor descriptor = ModuleFinder.of(library).find("dev.nonlinear")
        .orElseThrow(() -> new AssertionError("no module dev.nonlinear in " + library))
        .descriptor();
    Set<String> api = Set.of("dev.nonlinear.kernel", "dev.nonlinear.tensor", "dev.nonlinear.nn",
        "dev.nonlinear.io");

    assertEquals(api, descriptor.exports().stream().map(ModuleDescriptor.Exports::source)
        .collect(Collectors.toSet()));
    assertTrue(descriptor.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified));
    assertEquals(api, descriptor.packages(), "a package the descriptor does not export");
    assertTrue(descriptor.opens().isEmpty() && !descriptor.isOpen(), "nothing opened");
    Set<String> requires = descriptor.requires().stream().map(ModuleDescriptor.Requires::name)
        .collect(Collectors.toSet());
    assertEquals(Set.of("java.base", "jdk.incubator.vector", "java.desktop"), requires);
    assertTrue(descriptor.requires().stream().noneMatch(
        r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC)),
        "a static requires would leave the Vector API unresolved on the module path");
  }

  /** Exported packages make public types API; the twins must stay package-private. */
  @Test
  void noScalarOrVectorImplementationIsPublic() throws IOException, ClassNotFoundException {
    List<String> twins = kernelClassNames().stream()
        .filter(name -> name.matches("dev\\.nonlinear\\.kernel\\.(Scalar|Vector)[A-Za-z]*"))
        .toList();
    assertTrue(twins.size() >= 10, "found only " + twins);
    for (String name : twins) {
      Class<?> type = Class.forName(name, false, Backend.class.getClassLoader());
      assertFalse(Modifier.isPublic(type.getModifiers()), name + " is public");
    }
  }

  private static List<String> kernelClassNames() throws IOException {
    try (var jar = ModuleFinder.of(library).find("dev.nonlinear").orElseThrow().open()) {
      try (Stream<String> entries = jar.list()) {
        return entries.filter(e -> e.startsWith("dev/nonlinear/kernel/") && e.endsWith(".class"))
            .map(e -> e.substring(0, e.length() - ".class".length()).replace('/', '.'))
            .toList();
      }
    }
  }

  private static String classPath() {
    return library + java.io.File.pathSeparator + probeClasses;
  }

  /**
   * Runs the JDK that runs this test with {@code args}, output to files (no pipe to fill). C1
   * only and the serial collector: these runs only start, so they start fast.
   */
  private static Run java(String... args) {
    Path javaHome = Path.of(System.getProperty("java.home"));
    List<String> command = new ArrayList<>(List.of(javaHome.resolve("bin/java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile(dir, "out", ".txt");
      Path err = Files.createTempFile(dir, "err", ".txt");
      ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
          .redirectError(err.toFile());
      // Options from the environment would change what the child resolves.
      builder.environment().remove("JDK_JAVA_OPTIONS");
      builder.environment().remove("JAVA_TOOL_OPTIONS");
      Process process = builder.start();
      if (!process.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("no exit within " + CHILD_TIMEOUT_SECONDS + " s: " + command);
      }
      Run run = new Run(Files.readString(out), Files.readString(err));
      assertEquals(0, process.exitValue(), command + "\n" + run.out() + run.err());
      return run;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
