package dev.nonlinear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

  /** A clock the test moves by hand, in nanoseconds. */
  private long now;

  @Test
  void offATerminalPrintsOneLinePerTenthAndNoCarriageReturns() {
    StringWriter text = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(text), "epoch 1/1", 94, false,
        () -> now);
    for (int step = 1; step <= 94; step++) {
      now += 10_000_000;
      bar.update(step, "loss 0.5");
    }

    String[] lines = text.toString().split("\n");
    assertEquals(ProgressBar.PLAIN_REPORTS, lines.length, text.toString());
    assertFalse(text.toString().contains("\r"));
    assertTrue(lines[0].startsWith("epoch 1/1  11% 10/94  loss 0.5  ETA 0.8s"), lines[0]);
    assertTrue(lines[9].startsWith("epoch 1/1 100% 94/94  loss 0.5  0.9s"), lines[9]);
  }

  @Test
  void onATerminalRedrawsInPlaceAtMostEveryHundredMilliseconds() {
    StringWriter text = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(text), "e", 100, true, () -> now);
    for (int step = 1; step <= 100; step++) {
      now += 10_000_000;
      bar.update(step, "");
    }

    String out = text.toString();
    long redraws = out.chars().filter(c -> c == '\r').count();
    assertTrue(redraws >= 10 && redraws <= 11, "one redraw per 100 ms of 1 s: " + redraws);
    assertTrue(out.endsWith("\n"), "the finished bar ends its line");
    assertTrue(out.contains("[================]"), out);
  }

  @Test
  void formatsDurations() {
    assertEquals("7.3s", ProgressBar.formatSeconds(7.29));
    assertEquals("2m05s", ProgressBar.formatSeconds(125));
    assertEquals("1h02m", ProgressBar.formatSeconds(3720));
  }
}
