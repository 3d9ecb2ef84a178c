package io.medsam.stream.app.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

  @Test
  void terminalRedrawsInPlaceAndEndsTheLine() {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final ProgressBar bar =
        new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
    bar.update("masks", 0, 4);
    bar.update("masks", 2, 4);
    bar.update("masks", 4, 4);
    bar.finishLine();
    final String s = bytes.toString(StandardCharsets.UTF_8);
    assertThat(s)
        .startsWith("\rmasks")
        .contains("2/4")
        .endsWith("] 4/4\n")
        .contains("[" + "#".repeat(15) + " ".repeat(15) + "]");
    assertThat(s.chars().filter(c -> c == '\n').count()).isEqualTo(1);
  }

  @Test
  void plainOutputPrintsAtMostOneLinePerTenthAndPhase() {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final ProgressBar bar =
        new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
    for (int i = 0; i <= 1000; i++) {
      bar.update("embeddings", i, 1000);
    }
    bar.update("masks", 0, 3);
    final String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(12).doesNotContain("\r");
    assertThat(lines[0]).isEqualTo("embeddings: 0/1000 (0%)");
    assertThat(lines[10]).isEqualTo("embeddings: 1000/1000 (100%)");
    assertThat(lines[11]).isEqualTo("masks: 0/3 (0%)");
  }
}
