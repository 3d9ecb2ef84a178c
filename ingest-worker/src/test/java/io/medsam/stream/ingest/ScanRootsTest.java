package io.medsam.stream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where ScanRoots let a file source through, and what their refusals say (never the path). */
class ScanRootsTest {

  @Test
  void aFileUnderARootIsLocatedAndNamedByAHash(@TempDir final Path tmp) throws Exception {
    final Path root = Files.createDirectories(tmp.resolve("exports"));
    final Path file = Files.writeString(root.resolve("Doe^John_1970.nii.gz"), "x");
    final ScanRoots roots = ScanRoots.of(List.of(root));

    final ScanLocation byPath = roots.locate(file.toString());
    final ScanLocation byUri = roots.locate(file.toUri().toString());
    assertThat(byPath.real()).isEqualTo(file.toRealPath()).isEqualTo(byUri.real());
    assertThat(byPath.name())
        .isEqualTo("scan root 1, file " + ScanRoots.sha256("Doe^John_1970.nii.gz"))
        .isEqualTo(byUri.name());
    assertThat(byPath.scrub("cannot read " + file + " (Doe^John_1970)"))
        .doesNotContain("Doe")
        .doesNotContain(tmp.toString());
  }

  @Test
  void aRootReachedThroughALinkHoldsItsFiles(@TempDir final Path tmp) throws Exception {
    final Path real = Files.createDirectories(tmp.resolve("real"));
    final Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
    Files.writeString(real.resolve("a.nii"), "x");
    final ScanRoots roots = ScanRoots.of(List.of(link));
    assertThat(roots.locate(link.resolve("a.nii").toString()).real())
        .isEqualTo(real.resolve("a.nii").toRealPath());
    assertThat(roots.locate(real.resolve("a.nii").toString()).real())
        .isEqualTo(real.resolve("a.nii").toRealPath());
  }

  @Test
  void refusalsNameThePathOnlyByItsHash(@TempDir final Path tmp) throws Exception {
    final Path root = Files.createDirectories(tmp.resolve("exports"));
    final ScanRoots roots = ScanRoots.of(List.of(root));
    final String missing = root.resolve("Doe^Missing.nii").toString();
    final String sibling = tmp.resolve("exports-old/Doe^Sibling.nii").toString();
    for (final String path :
        List.of("relative/Doe^Rel.nii", missing, sibling, root + "/../Doe^Up.nii")) {
      assertThatThrownBy(() -> roots.locate(path))
          .isInstanceOf(OutsideScanRootsException.class)
          .hasMessageContaining("source path " + ScanRoots.sha256(path))
          .hasMessageNotContaining("Doe")
          .hasMessageNotContaining(tmp.toString());
    }
    assertThatThrownBy(() -> roots.locate(sibling)).hasMessageContaining("outside the scan roots");
    assertThatThrownBy(() -> ScanRoots.none().locate(missing))
        .hasMessageContaining("no --scan-root");
    assertThat(ScanRoots.none().isEmpty()).isTrue();
    assertThat(ScanRoots.anywhere().isEmpty()).isFalse();
  }
}
