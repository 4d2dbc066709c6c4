package dev.nonlinear.jmh.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nonlinear.jmh.report.Report.FamilyReport;
import dev.nonlinear.jmh.report.ResultsReader.Results;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator on small hand-written results: what it parses from JMH's JSON and the anchors',
 * how it joins them, the ratio arithmetic, and the files it writes. The numbers are chosen so
 * that every expected value is exact in binary or stated to three digits.
 */
class ReportTest {

  /** JMH's JSON for one result, as JMH 1.37 writes it (fields the reader ignores left out). */
  private static String jmh(String benchmark, String params, String unit, String score,
      String error, String jvmArgs, String secondary) {
    return """
        {"jmhVersion": "1.37", "benchmark": "dev.nonlinear.jmh.%s", "mode": "avgt",
         "threads": 1, "forks": 1, "jvm": "/usr/bin/java", "jvmArgs": [%s],
         "jdkVersion": "25.0.3", "vmName": "OpenJDK 64-Bit Server VM", "vmVersion": "25.0.3+9",
         "warmupIterations": 3, "warmupTime": "1 s", "measurementIterations": 5,
         "measurementTime": "1 s", "params": {%s},
         "primaryMetric": {"score": %s, "scoreError": %s, "scoreUnit": "%s"},
         "secondaryMetrics": {%s}}
        """.formatted(benchmark, jvmArgs, params, score, error, unit, secondary);
  }

  private static final String VECTOR_MODULE = "\"--add-modules=jdk.incubator.vector\"";
  private static final String SCALAR = VECTOR_MODULE + ", \"-Dnonlinear.backend=scalar\"";
  private static final String GC = """
      "gc.alloc.rate": {"score": 0.5, "scoreError": 0.1, "scoreUnit": "MB/sec"},
      "gc.alloc.rate.norm": {"score": 88.0, "scoreError": 0.0, "scoreUnit": "B/op"}""";

  /** GEMM at shape 64, one thread: vector 10 µs with -prof gc, scalar 100 µs, OpenBLAS 8 µs. */
  private static String gemmOneThread() {
    return "[" + String.join(",",
        jmh("GemmBenchmark.vector", "\"shape\": \"64\", \"threads\": \"1\"", "us/op", "10.0",
            "0.5", VECTOR_MODULE, GC),
        jmh("GemmBenchmark.scalar", "\"shape\": \"64\", \"threads\": \"1\"", "us/op", "100.0",
            "\"NaN\"", SCALAR, ""),
        jmh("GemmBenchmark.openblas", "\"shape\": \"64\", \"threads\": \"1\"", "ms/op", "0.008",
            "0.001", VECTOR_MODULE, "")) + "]";
  }

  private static final String PYTORCH_LAYER = """
      {"anchor": "PyTorch", "version": "1.13.0a0", "threads": 2,
       "results": [{"family": "Layer", "benchmark": "maxPoolForward", "params": {},
                    "nsPerOp": 4000000.0, "note": "MaxPool2d(2, 2)"},
                   {"family": "Layer", "benchmark": "onlyInPyTorch", "params": {"n": 3},
                    "nsPerOp": 5.0}]}
      """;

  @Test
  void readsJmhResultsInNanosecondsWithParamsThreadsBackendAndAllocation() {
    List<JmhResult> results = ResultsReader.parseJmh(gemmOneThread(), "Gemm.json");

    JmhResult vector = results.get(0);
    assertEquals("Gemm", vector.family());
    assertEquals("vector", vector.method());
    assertEquals(Map.of("shape", "64"), vector.params(), "threads leaves the params");
    assertEquals(1, vector.threads());
    assertEquals(10_000, vector.nsPerOp());
    assertEquals(500, vector.errorNs());
    assertEquals(88, vector.allocBytesPerOp());
    assertEquals("us/op", vector.unit());
    assertEquals("25.0.3 (OpenJDK 64-Bit Server VM 25.0.3+9)", vector.jdk());
    assertEquals("1 fork, warm-up 3 × 1 s, measurement 5 × 1 s", vector.settings());
    assertEquals(false, vector.scalarBackend());

    JmhResult scalar = results.get(1);
    assertTrue(scalar.scalarBackend());
    assertTrue(Double.isNaN(scalar.errorNs()), "JMH's \"NaN\" error is NaN");
    assertTrue(Double.isNaN(scalar.allocBytesPerOp()), "no -prof gc: NaN");
    assertEquals(8_000, results.get(2).nsPerOp(), 1e-9, "ms/op converted");
  }

  @Test
  void threadsComeFromTheParamElseTheLibraryPropertyElseOne() {
    assertEquals(2, ResultsReader.threads("2", List.of("-Dnonlinear.threads=1")));
    assertEquals(3, ResultsReader.threads(null, List.of("-Xmx1g", "-Dnonlinear.threads=3")));
    assertEquals(1, ResultsReader.threads(null, List.of("-Xmx1g")));
  }

  @Test
  void familyIsTheClassWithoutItsSuffix() {
    assertEquals("Gemm", ResultsReader.family("dev.nonlinear.jmh.GemmBenchmark.vector"));
    assertEquals("Lstm", ResultsReader.family("dev.nonlinear.jmh.LstmBenchmark.forward"));
    assertEquals("Odd", ResultsReader.family("a.Odd.run"));
  }

  @Test
  void readsAnchorResults() {
    List<AnchorResult> results = ResultsReader.parseAnchor(PYTORCH_LAYER, "pytorch-layers-2.json");

    AnchorResult pool = results.get(0);
    assertEquals("PyTorch 1.13.0a0", pool.anchor());
    assertEquals("Layer", pool.family());
    assertEquals("maxPoolForward", pool.benchmark());
    assertEquals(2, pool.threads());
    assertEquals(4e6, pool.nsPerOp());
    assertEquals("MaxPool2d(2, 2)", pool.note());
    assertEquals(Map.of("n", "3"), results.get(1).params());
    assertEquals("", results.get(1).note(), "the note is optional");
  }

  @Test
  void speedUpIsTheirTimeOverOursSoAboveOneMeansOursIsFaster() {
    Report report = Report.build(results(gemmOneThread()));
    FamilyTable table = report.families().get(0).tables().get(0);
    Row row = table.rows().get(0);

    assertEquals(List.of(Column.OURS, Column.TWIN, Column.anchor("OpenBLAS")), table.columns());
    assertEquals(10.0, table.speedUp(row, Column.TWIN), "scalar 100 µs over ours 10 µs");
    assertEquals(0.8, table.speedUp(row, Column.anchor("OpenBLAS")), 1e-15, "8 µs over 10 µs");
    assertTrue(Double.isNaN(table.speedUp(row, Column.anchor("PyTorch 1.13.0a0"))));
  }

  @Test
  void anchorsJoinTheRowTheyNameAtTheirThreadCountAndOthersGetRowsOfTheirOwn() {
    String layer = "[" + jmh("LayerBenchmark.maxPoolForward", "\"threads\": \"2\"", "ms/op",
        "2.0", "0.1", VECTOR_MODULE, "") + "]";
    Results results = results(layer);
    results.anchors().addAll(ResultsReader.parseAnchor(PYTORCH_LAYER, "pytorch-layers-2.json"));

    FamilyTable table = Report.build(results).families().get(0).tables().get(0);
    assertEquals(2, table.threads());
    assertEquals(2, table.rows().size());
    Row pool = table.rows().get(0);
    assertEquals(2.0, table.speedUp(pool, Column.anchor("PyTorch 1.13.0a0")), "4 ms over 2 ms");
    Row own = table.rows().get(1);
    assertEquals("onlyInPyTorch n=3", own.label());
    assertNull(table.cell(own, Column.OURS));
  }

  @Test
  void scalarSuffixAndScalarForksAreTheTwinAndLanewiseFormsAnchorTheirFunction() {
    String json = "[" + String.join(",",
        jmh("ConvPoolBenchmark.softmaxScalar", "\"classes\": \"10\"", "us/op", "6.0", "0.1",
            SCALAR + ", \"-Dnonlinear.threads=1\"", ""),
        jmh("ActivationBenchmark.sigmoidLanewiseExp", "", "ns/op", "1.5", "0.1", VECTOR_MODULE,
            ""),
        jmh("ActivationBenchmark.tanh", "", "ns/op", "1.0", "0.1", SCALAR, "")) + "]";
    Report report = Report.build(results(json));

    FamilyTable activations = table(report, "Activation");
    assertEquals(List.of("sigmoid", "tanh"), activations.rows().stream().map(Row::name).toList());
    assertNotNull(activations.cell(activations.rows().get(0), Column.anchor("JDK lanewise")));
    assertNotNull(activations.cell(activations.rows().get(1), Column.TWIN));
    FamilyTable convPool = table(report, "ConvPool");
    assertEquals("softmax classes=10", convPool.rows().get(0).label());
    assertNotNull(convPool.cell(convPool.rows().get(0), Column.TWIN));
  }

  @Test
  void aResultReadTwiceKeepsTheLaterFileAndSaysSo() {
    Results results = results(gemmOneThread());
    results.jmh().addAll(ResultsReader.parseJmh(gemmOneThread(), "Gemm-again.json"));

    Report report = Report.build(results);
    assertEquals(3, report.warnings().size());
    assertTrue(report.warnings().get(0).contains("Gemm-again.json replaces Gemm.json"),
        report.warnings().get(0));
  }

  @Test
  void theNewerFileWinsWhateverItsName(@TempDir Path folder) throws IOException {
    Path newer = folder.resolve("Gemm-threads1.json");
    Path older = folder.resolve("GemmOld.json");
    Files.writeString(newer, gemmOneThread());
    Files.writeString(older, gemmOneThread().replace("\"score\": 10.0", "\"score\": 20.0"));
    Files.setLastModifiedTime(older, FileTime.fromMillis(1_000_000));
    Files.setLastModifiedTime(newer, FileTime.fromMillis(2_000_000));

    Report report = Report.build(ResultsReader.readFolder(folder));
    FamilyTable table = report.families().get(0).tables().get(0);
    assertEquals(10_000, table.cell(table.rows().get(0), Column.OURS).nsPerOp());
    assertTrue(report.warnings().get(0).contains("Gemm-threads1.json replaces GemmOld.json"),
        report.warnings().get(0));
  }

  @Test
  void tableShowsTimesRatesAllocationAndRatiosWithDashesWhereAbsent() {
    Report report = Report.build(results(gemmOneThread()));
    String md = MarkdownReport.render(report,
        MarkdownReport.Provenance.of(results(gemmOneThread())),
        new MarkdownReport.RunInfo("jmh/report.sh", "", "now", "results", "cpu", 2),
        Map.of("Gemm", "charts/Gemm.png"));

    // 2 · 64³ flops in 10 µs = 52.4 GFLOP/s; in 100 µs 5.24; in 8 µs 65.5. Only ours was
    // measured under -prof gc: the other columns get no B/op column of their own.
    assertTrue(md.contains("| Gemm | nonlinear µs (GFLOP/s) | B/op | scalar twin µs (GFLOP/s) |"
        + " OpenBLAS µs (GFLOP/s) | vs scalar twin | vs OpenBLAS |\n"), md);
    assertTrue(md.contains("| 64: 64×64×64, A·B | 10.0 ± 0.500 (52.4) | 88.0 | 100 (5.24) |"
        + " 8.00 ± 1.00 (65.5) | 10.0× | 0.80× |\n"), md);
    assertTrue(md.contains("![Gemm: speed-up of nonlinear](charts/Gemm.png)"), md);
    assertTrue(md.contains("- Threads in the tables: 1 (`nproc` here: 2)"), md);
  }

  @Test
  void allocationIsShownForOursAndTheTwinNotForTheAnchors() {
    String json = gemmOneThread().replace("\"secondaryMetrics\": {}",
        "\"secondaryMetrics\": {" + GC.replace("88.0", "0.0") + "}");
    Report report = Report.build(results(json));
    String md = MarkdownReport.render(report, MarkdownReport.Provenance.of(results(json)),
        new MarkdownReport.RunInfo("jmh/report.sh", "", "now", "results", "cpu", 2), Map.of());

    assertTrue(md.contains("| Gemm | nonlinear µs (GFLOP/s) | B/op | scalar twin µs (GFLOP/s) |"
        + " B/op twin | OpenBLAS µs (GFLOP/s) | vs scalar twin | vs OpenBLAS |\n"), md);
    assertTrue(md.contains("| 10.0 ± 0.500 (52.4) | 88.0 | 100 (5.24) | 0 | 8.00"), md);
  }

  @Test
  void numbersKeepThreeSignificantDigits() {
    assertEquals("0.132", Format.sig3(0.13219));
    assertEquals("13.2", Format.sig3(13.249));
    assertEquals("30,800", Format.sig3(30822.1));
    assertEquals("100", Format.sig3(99.96));
    assertEquals("0", Format.sig3(0));
    assertEquals("10.0", Format.sig3(10));
    assertEquals("0.0123", Format.sig3(0.012345));
    assertEquals("—", Format.sig3(Double.NaN));
    assertEquals("0.82×", Format.ratio(0.8249));
    assertEquals("13.5×", Format.ratio(13.46));
    assertEquals("—", Format.ratio(Double.NaN));
  }

  @Test
  void writesTheReportAndOnePngPerFamilyWithRatios(@TempDir Path folder) throws IOException {
    Files.writeString(folder.resolve("Gemm.json"), gemmOneThread());
    Files.writeString(folder.resolve("pytorch-layers-2.json"), PYTORCH_LAYER);
    Files.writeString(folder.resolve("notes.json"), "{\"something\": 1}");

    Path report = ReportMain.run(new String[] {"--results", folder.toString(), "--command",
        "jmh/report.sh --quick"});

    String md = Files.readString(report);
    assertTrue(md.contains("- Command: `jmh/report.sh --quick`"), md);
    assertTrue(md.contains("notes.json: neither JMH's array nor an anchor object; skipped"), md);
    assertTrue(md.contains("## Layer"), "an anchor-only family still gets its table");
    BufferedImage chart = ImageIO.read(folder.resolve("charts/Gemm.png").toFile());
    assertEquals(1000, chart.getWidth());
    assertTrue(Files.notExists(folder.resolve("charts/Layer.png")), "no ratio, no chart");
  }

  @Test
  void refusesAFolderWithoutJmhResults(@TempDir Path folder) throws IOException {
    Files.writeString(folder.resolve("pytorch-layers-2.json"), PYTORCH_LAYER);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ReportMain.run(new String[] {"--results", folder.toString()}));
    assertTrue(e.getMessage().startsWith("no JMH result in " + folder), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> ReportMain.run(new String[] {"--result", folder.toString()}));
  }

  private static Results results(String jmhJson) {
    return new Results(new ArrayList<>(ResultsReader.parseJmh(jmhJson, "Gemm.json")),
        new ArrayList<>(), new ArrayList<>());
  }

  private static FamilyTable table(Report report, String family) {
    Map<String, FamilyReport> byName = new TreeMap<>();
    report.families().forEach(f -> byName.put(f.family().name(), f));
    return byName.get(family).tables().get(0);
  }
}
