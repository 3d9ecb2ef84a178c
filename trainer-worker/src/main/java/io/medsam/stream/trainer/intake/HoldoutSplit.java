package io.medsam.stream.trainer.intake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Splits a set of corrected slices into held-out groups that measure generalisation and the rest,
 * deterministically (the same slice set gives the same split, on every machine).
 *
 * <ul>
 *   <li>Corrections from several series: whole series are held out (the next patient), taken in the
 *       order of SHA-256(seriesUid) until {@code fraction} of the slices is reached, skipping a
 *       series that would leave less than half of the slices to train on.
 *   <li>Corrections from one series: per axis, one contiguous block of {@code round(fraction × n)}
 *       (at least 1) of its n corrected slices at one end of the corrected range (which end:
 *       SHA-256 of series and axis), so the block measures extrapolation beyond what trained.
 *       Corrected slices within {@code gap} slice indices of the block are {@link Role#GAP}:
 *       neither trained nor scored, so no held-out slice has a trained neighbour. An axis whose
 *       block would leave nothing to train on holds nothing out.
 * </ul>
 *
 * <p>The same rule applied to the training side gives the validation block of early stopping.
 *
 * @param fraction share of slices held out, in [0, 1); 0 holds nothing out
 * @param gap slices left out between a held-out block and the nearest training slice (at least 1)
 */
public record HoldoutSplit(double fraction, int gap) {

  /** A slice's role in a run. */
  public enum Role {
    /** Trained on. */
    TRAIN,
    /** Scored only (a held-out or validation block). */
    HELD_OUT,
    /** Next to a held-out block: neither trained on nor scored. */
    GAP
  }

  /**
   * The roles of a slice set, and the block each held-out slice belongs to.
   *
   * @param roles role of each slice key
   * @param blocks block id ({@code <series>/<axis>/<lo>-<hi>} or {@code <series>}) of each held-out
   *     slice key
   */
  public record Assignment(Map<String, Role> roles, Map<String, String> blocks) {

    /** The role of a slice of the set. */
    public Role role(final String sliceKey) {
      final Role r = roles.get(sliceKey);
      if (r == null) {
        throw new IllegalArgumentException(sliceKey + " is not in the split set");
      }
      return r;
    }

    /** The held-out block of a held-out slice. */
    public String block(final String sliceKey) {
      return blocks.get(sliceKey);
    }
  }

  /** Validates the settings. */
  public HoldoutSplit {
    if (!(fraction >= 0 && fraction < 1) || gap < 1) {
      throw new IllegalArgumentException("holdout fraction " + fraction + ", gap " + gap);
    }
  }

  /** Assigns a role to each distinct slice key. */
  public Assignment assign(final Collection<String> sliceKeys) {
    final Map<String, Map<String, TreeMap<Integer, String>>> bySeries = new TreeMap<>();
    for (final String key : new TreeSet<>(sliceKeys)) {
      final SliceRef ref = SliceRef.parse(key);
      bySeries
          .computeIfAbsent(ref.series(), s -> new TreeMap<>())
          .computeIfAbsent(ref.axis(), a -> new TreeMap<>())
          .put(ref.index(), key);
    }
    final Map<String, Role> roles = new HashMap<>();
    final Map<String, String> blocks = new HashMap<>();
    bySeries
        .values()
        .forEach(
            axes -> axes.values().forEach(s -> s.values().forEach(k -> roles.put(k, Role.TRAIN))));
    if (fraction == 0) {
      return new Assignment(Map.copyOf(roles), Map.of());
    }
    if (bySeries.size() > 1) {
      holdWholeSeries(bySeries, roles, blocks);
    } else {
      bySeries.forEach(
          (series, axes) ->
              axes.forEach((axis, slices) -> holdBlock(series, axis, slices, roles, blocks)));
    }
    return new Assignment(Map.copyOf(roles), Map.copyOf(blocks));
  }

  private void holdWholeSeries(
      final Map<String, Map<String, TreeMap<Integer, String>>> bySeries,
      final Map<String, Role> roles,
      final Map<String, String> blocks) {
    final int total = roles.size();
    final double target = fraction * total;
    final List<String> order = new ArrayList<>(bySeries.keySet());
    order.sort(Comparator.comparingDouble(HoldoutSplit::position).thenComparing(s -> s));
    int held = 0;
    for (final String series : order) {
      if (held >= target) {
        break;
      }
      final List<String> keys = new ArrayList<>();
      bySeries.get(series).values().forEach(s -> keys.addAll(s.values()));
      if (2 * (held + keys.size()) > total) {
        continue;
      }
      held += keys.size();
      keys.forEach(
          k -> {
            roles.put(k, Role.HELD_OUT);
            blocks.put(k, series);
          });
    }
  }

  private void holdBlock(
      final String series,
      final String axis,
      final TreeMap<Integer, String> slices,
      final Map<String, Role> roles,
      final Map<String, String> blocks) {
    final int n = slices.size();
    final int size = Math.max(1, (int) Math.round(fraction * n));
    final List<Integer> indices = new ArrayList<>(slices.keySet());
    final boolean high = position(series + "/" + axis) < 0.5;
    final List<Integer> block =
        high ? indices.subList(n - size, n) : indices.subList(0, Math.min(size, n));
    final int lo = block.get(0);
    final int hi = block.get(block.size() - 1);
    final List<Integer> gapped =
        indices.stream()
            .filter(i -> (i < lo && lo - i <= gap) || (i > hi && i - hi <= gap))
            .toList();
    if (block.size() + gapped.size() >= n) {
      return; // nothing would be left to train on
    }
    final String id = series + "/" + axis + "/" + lo + "-" + hi;
    block.forEach(
        i -> {
          roles.put(slices.get(i), Role.HELD_OUT);
          blocks.put(slices.get(i), id);
        });
    gapped.forEach(i -> roles.put(slices.get(i), Role.GAP));
  }

  /** A position in [0, 1): the first 8 bytes of SHA-256(text) as an unsigned fraction. */
  public static double position(final String text) {
    try {
      final byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      final long bits = ByteBuffer.wrap(digest, 0, 8).getLong() >>> 11;
      return bits / (double) (1L << 53);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /** A slice key's parts; a key without {@code /<axis>/<int>} is a series of its own. */
  private record SliceRef(String series, String axis, int index) {
    static SliceRef parse(final String key) {
      final int last = key.lastIndexOf('/');
      final int axisStart = last > 0 ? key.lastIndexOf('/', last - 1) : -1;
      if (axisStart > 0) {
        try {
          return new SliceRef(
              key.substring(0, axisStart),
              key.substring(axisStart + 1, last),
              Integer.parseInt(key.substring(last + 1)));
        } catch (NumberFormatException e) {
          // falls through
        }
      }
      return new SliceRef(key, "", 0);
    }
  }
}
