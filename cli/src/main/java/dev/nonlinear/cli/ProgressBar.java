package dev.nonlinear.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar for a known number of steps, with a caller-supplied status (loss,
 * speed) and an estimate of the time left.
 *
 * <p>On a terminal the line is redrawn in place ({@code \r}) at most every
 * {@value #REDRAW_MILLIS} ms. Elsewhere (a pipe, a file, a CI log, {@code TERM=dumb}) it prints
 * a plain line at each tenth of the way instead, so logs stay short and readable.
 *
 * <p>Written in-house rather than taken from {@code me.tongfei:progressbar}: that library brings
 * in JLine for terminal handling and, off a terminal, either leaves its carriage-return redraws
 * in the log or (through a logging consumer) writes a line per update; the few lines here need
 * neither.
 */
final class ProgressBar {

  /** Minimum time between two redraws on a terminal: smooth enough, cheap enough. */
  static final long REDRAW_MILLIS = 100;

  /** Plain-line reports per run off a terminal: every tenth of the way. */
  static final int PLAIN_REPORTS = 10;

  /**
   * Cells of the drawn bar: short enough that a full line (label, bar, counts, loss, speed, ETA)
   * stays within 80 columns; a line that wraps could not be redrawn in place. Terminal width is
   * not queried (Java has no portable way), so narrower terminals will see wrapped redraws.
   */
  private static final int BAR_WIDTH = 16;

  private final PrintWriter out;
  private final String label;
  private final long total;
  private final boolean terminal;
  private final LongSupplier nanoClock;
  private final long startNanos;
  private long lastDrawNanos;
  private int plainReportsDone;

  /**
   * A bar named {@code label} over {@code total} steps, drawn on {@code out}; {@code terminal}
   * picks in-place redraws or plain lines; {@code nanoClock} is {@link System#nanoTime} outside
   * tests.
   */
  ProgressBar(PrintWriter out, String label, long total, boolean terminal,
      LongSupplier nanoClock) {
    this.out = out;
    this.label = label;
    this.total = Math.max(1, total);
    this.terminal = terminal;
    this.nanoClock = nanoClock;
    this.startNanos = nanoClock.getAsLong();
    this.lastDrawNanos = startNanos - REDRAW_MILLIS * 1_000_000;
  }

  /**
   * True when both standard streams are an interactive terminal that understands {@code \r}
   * ({@code TERM} is not {@code dumb}).
   */
  static boolean stdoutIsTerminal() {
    var console = System.console();
    return console != null && console.isTerminal() && !"dumb".equals(System.getenv("TERM"));
  }

  /** Reports that {@code done} of the steps are finished; {@code status} follows the counts. */
  void update(long done, String status) {
    long now = nanoClock.getAsLong();
    if (terminal) {
      if (done < total && now - lastDrawNanos < REDRAW_MILLIS * 1_000_000) {
        return;
      }
      lastDrawNanos = now;
      out.print("\r" + line(done, status, now) + "\u001b[K");
      if (done >= total) {
        out.println();
      }
      out.flush();
      return;
    }
    int reportsDue = (int) (done * PLAIN_REPORTS / total);
    if (reportsDue > plainReportsDone) {
      plainReportsDone = reportsDue;
      out.println(line(done, status, now));
      out.flush();
    }
  }

  /** Ends a bar left unfinished (training stopped), so the next message starts a new line. */
  void abandon() {
    if (terminal) {
      out.println();
      out.flush();
    }
  }

  /** Seconds since the bar was made. */
  double elapsedSeconds() {
    return (nanoClock.getAsLong() - startNanos) / 1e9;
  }

  private String line(long done, String status, long now) {
    double fraction = Math.min(1, (double) done / total);
    double elapsed = (now - startNanos) / 1e9;
    String time = done >= total ? formatSeconds(elapsed)
        : "ETA " + (done == 0 ? "?" : formatSeconds(elapsed * (total - done) / done));
    String counts = String.format(Locale.ROOT, "%3d%% %" + Long.toString(total).length()
        + "d/%d", Math.round(fraction * 100), done, total);
    String bar = terminal ? " [" + filled(fraction) + "]" : "";
    return label + bar + " " + counts + "  " + status + "  " + time;
  }

  private static String filled(double fraction) {
    int full = (int) Math.round(fraction * BAR_WIDTH);
    return "=".repeat(full) + (full < BAR_WIDTH ? ">" + " ".repeat(BAR_WIDTH - full - 1) : "");
  }

  /** {@code 7.3s}, {@code 2m05s} or {@code 1h02m}. */
  static String formatSeconds(double seconds) {
    if (seconds < 60) {
      return String.format(Locale.ROOT, "%.1fs", seconds);
    }
    long whole = Math.round(seconds);
    if (whole < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", whole / 60, whole % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", whole / 3600, whole % 3600 / 60);
  }
}
