package io.medsam.stream.app.eval;

import java.io.PrintStream;

/**
 * A text progress bar on stderr: redrawn in place with {@code \r} on a terminal, plain lines (at
 * most one per tenth of the work and per phase) when the output is not a terminal.
 */
public final class ProgressBar {

  private static final int WIDTH = 30;

  private final PrintStream out;
  private final boolean terminal;
  private String phase = "";
  private int lastTenth = -1;
  private boolean open;

  /**
   * @param out where to draw
   * @param terminal whether {@code out} is an interactive terminal
   */
  public ProgressBar(final PrintStream out, final boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /**
   * @return a bar on stderr, in-place when the JVM has a console
   */
  public static ProgressBar onStderr() {
    return new ProgressBar(System.err, System.console() != null);
  }

  /**
   * Shows {@code done} of {@code total} for {@code phaseName}.
   *
   * @param phaseName what is being counted, e.g. "embeddings"
   * @param done units finished
   * @param total units in all
   */
  public synchronized void update(final String phaseName, final int done, final int total) {
    if (!phaseName.equals(phase)) {
      finishLine();
      phase = phaseName;
      lastTenth = -1;
    }
    final double fraction = total <= 0 ? 1 : Math.min(1, done / (double) total);
    if (terminal) {
      final int filled = (int) Math.round(fraction * WIDTH);
      out.print(
          "\r"
              + String.format(
                  "%-12s [%s%s] %d/%d",
                  phase, "#".repeat(filled), " ".repeat(WIDTH - filled), done, total));
      out.flush();
      open = true;
    } else {
      final int tenth = (int) Math.floor(fraction * 10);
      if (tenth != lastTenth) {
        lastTenth = tenth;
        out.println(
            String.format(
                "%s: %d/%d (%d%%)", phase, done, total, (int) Math.round(fraction * 100)));
        out.flush();
      }
    }
  }

  /** Ends the current line (call before printing anything else). */
  public synchronized void finishLine() {
    if (open) {
      out.println();
      out.flush();
      open = false;
    }
  }
}
