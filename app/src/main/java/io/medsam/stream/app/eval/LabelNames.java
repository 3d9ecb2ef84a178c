package io.medsam.stream.app.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Names of atlas labels from the text file MRIcron ships next to an atlas ({@code aal.nii.gz} has
 * {@code aal.nii.txt}: lines "value name [code]"); values without a name are shown as numbers.
 */
public final class LabelNames {

  private final Map<Integer, String> names;

  private LabelNames(final Map<Integer, String> names) {
    this.names = names;
  }

  /**
   * @param labelFile the label volume, e.g. {@code aal.nii.gz}
   * @return the names from {@code aal.nii.txt} beside it, or none
   */
  public static LabelNames beside(final Path labelFile) {
    final String file = labelFile.getFileName().toString();
    final String stem = file.endsWith(".gz") ? file.substring(0, file.length() - 3) : file;
    final Path txt = labelFile.resolveSibling(stem + ".txt");
    final Map<Integer, String> names = new HashMap<>();
    if (Files.isRegularFile(txt)) {
      try {
        for (final String line : Files.readAllLines(txt)) {
          final String[] parts = line.trim().split("\\s+");
          if (parts.length >= 2 && parts[0].matches("\\d+")) {
            names.put(Integer.parseInt(parts[0]), parts[1]);
          }
        }
      } catch (IOException e) {
        names.clear(); // names are a courtesy; numbers still identify the labels
      }
    }
    return new LabelNames(names);
  }

  /**
   * @return the name of {@code label}, or its value as text
   */
  public String name(final int label) {
    return names.getOrDefault(label, Integer.toString(label));
  }
}
