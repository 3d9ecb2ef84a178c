package io.medsam.stream.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.app.pipeline.ScanIntake;
import io.medsam.stream.ingest.IngestLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code medsam run}'s scan roots and limits: what a hospital engineer gets by default. */
class ScanIntakeOptionsTest {

  private static ScanIntake parse(
      final boolean embedded, final List<String> notices, final String... args) throws IOException {
    final ScanIntakeOptions options = new ScanIntakeOptions();
    new CommandLine(options).parseArgs(args);
    return options.intake(embedded, notices::add);
  }

  @Test
  void withoutScanRootTheEmbeddedBrokerReadsAnywhereAndAClusterReadsNoFile() throws IOException {
    final List<String> notices = new ArrayList<>();
    assertThat(parse(true, notices).roots().toString()).isEqualTo("anywhere");
    assertThat(parse(false, notices).roots().isEmpty()).isTrue();
    assertThat(notices).hasSize(2).allMatch(n -> n.startsWith("no --scan-root"));
  }

  @Test
  void rootsAndLimitsAreTakenAsGiven(@TempDir final Path tmp) throws IOException {
    final Path a = Files.createDirectory(tmp.resolve("a"));
    final Path b = Files.createDirectory(tmp.resolve("b"));
    final List<String> notices = new ArrayList<>();
    final ScanIntake intake =
        parse(
            false,
            notices,
            "--scan-root",
            a.toString(),
            "--scan-root",
            b.toString(),
            "--max-slice-pixels",
            "1000",
            "--max-volume-voxels",
            "2000",
            "--max-source-bytes",
            "3000");
    assertThat(intake.roots().roots()).containsExactly(a.toRealPath(), b.toRealPath());
    assertThat(intake.limits()).isEqualTo(new IngestLimits(1000, 2000, 3000));
    assertThat(notices).isEmpty();
    assertThat(parse(true, notices).limits().maxSlicePixels()).isEqualTo(4096L * 4096L);
    assertThatThrownBy(() -> parse(false, notices, "--scan-root", tmp.resolve("x").toString()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a folder");
  }
}
