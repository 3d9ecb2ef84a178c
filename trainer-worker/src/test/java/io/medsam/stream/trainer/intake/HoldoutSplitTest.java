package io.medsam.stream.trainer.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.trainer.intake.HoldoutSplit.Role;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The held-out rule: blocks at one end of a series axis with a gap, whole series when there are
 * several; checked on fixed cases and, as a property, on 2,000 random slice sets.
 */
class HoldoutSplitTest {

  private static List<String> range(final String series, final int from, final int to) {
    final List<String> keys = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      keys.add(series + "/axial/" + i);
    }
    return keys;
  }

  @Test
  void oneSeriesHoldsOutOneEndBlockWithAGap() {
    final List<String> keys = range("ch2", 40, 79);
    final HoldoutSplit.Assignment a = new HoldoutSplit(0.2, 1).assign(keys);
    final List<Integer> held = indices(a, Role.HELD_OUT);
    final List<Integer> gap = indices(a, Role.GAP);
    assertThat(held).hasSize(8);
    assertThat(held.get(held.size() - 1) - held.get(0)).isEqualTo(7);
    assertThat(held.get(0) == 40 || held.get(held.size() - 1) == 79).as("end block").isTrue();
    assertThat(gap).hasSize(1);
    assertThat(gap.get(0)).isIn(held.get(0) - 1, held.get(held.size() - 1) + 1);
    assertThat(indices(a, Role.TRAIN)).hasSize(31);
    assertThat(a.block(keys.get(keys.indexOf("ch2/axial/" + held.get(0)))))
        .isEqualTo("ch2/axial/" + held.get(0) + "-" + held.get(held.size() - 1));
  }

  @Test
  void severalSeriesHoldOutWholeSeries() {
    final List<String> keys = new ArrayList<>();
    for (int s = 0; s < 5; s++) {
      keys.addAll(range("patient-" + s, 10, 29));
    }
    final HoldoutSplit.Assignment a = new HoldoutSplit(0.2, 1).assign(keys);
    final Map<String, Set<Role>> rolesBySeries = new HashMap<>();
    keys.forEach(
        k ->
            rolesBySeries
                .computeIfAbsent(k.substring(0, k.indexOf('/')), s -> new HashSet<>())
                .add(a.role(k)));
    assertThat(rolesBySeries.values()).allMatch(r -> r.size() == 1);
    assertThat(rolesBySeries.values().stream().filter(r -> r.contains(Role.HELD_OUT))).hasSize(1);
    assertThat(rolesBySeries.values()).noneMatch(r -> r.contains(Role.GAP));
  }

  @Test
  void tooFewSlicesHoldNothingOut() {
    assertThat(new HoldoutSplit(0.2, 1).assign(range("s", 5, 6)).roles().values())
        .containsOnly(Role.TRAIN);
    assertThat(new HoldoutSplit(0.0, 1).assign(range("s", 0, 50)).roles().values())
        .containsOnly(Role.TRAIN);
  }

  @Test
  void heldOutBlocksNeverBorderTrainingOnRandomSliceSets() {
    final Random random = new Random(15);
    for (int trial = 0; trial < 2_000; trial++) {
      final List<String> keys = randomSet(random);
      final double fraction = 0.05 + random.nextDouble() * 0.45;
      final int gap = 1 + random.nextInt(3);
      final HoldoutSplit split = new HoldoutSplit(fraction, gap);
      final HoldoutSplit.Assignment a = split.assign(keys);
      final String where = "trial " + trial + " " + keys + " fraction " + fraction + " gap " + gap;
      assertThat(a.roles().keySet()).as(where).isEqualTo(new HashSet<>(keys));
      checkSeparated(a, gap, where);
      // the validation block is carved from the training side by the same rule
      final List<String> train =
          keys.stream().filter(k -> a.role(k) == Role.TRAIN).distinct().toList();
      checkSeparated(split.assign(train), gap, where + " (validation)");
      // deterministic: the order the keys come in does not matter
      final List<String> shuffled = new ArrayList<>(keys);
      Collections.shuffle(shuffled, random);
      assertThat(split.assign(shuffled)).as(where).isEqualTo(a);
    }
  }

  /** No held-out slice within {@code gap} of a training slice; blocks whole; something trains. */
  private static void checkSeparated(
      final HoldoutSplit.Assignment a, final int gap, final String where) {
    final Map<String, List<String>> bySeries =
        a.roles().keySet().stream().collect(Collectors.groupingBy(HoldoutSplitTest::series));
    final boolean several = bySeries.size() > 1;
    if (a.roles().containsValue(Role.HELD_OUT)) {
      assertThat(a.roles().values()).as(where).contains(Role.TRAIN);
    }
    for (final List<String> seriesKeys : bySeries.values()) {
      final Set<Role> roles = seriesKeys.stream().map(a::role).collect(Collectors.toSet());
      if (several) {
        assertThat(roles).as(where + ": whole series").hasSize(1).doesNotContain(Role.GAP);
        continue;
      }
      final Map<String, List<String>> byAxis =
          seriesKeys.stream().collect(Collectors.groupingBy(HoldoutSplitTest::axis));
      for (final List<String> axisKeys : byAxis.values()) {
        final TreeSet<Integer> held = new TreeSet<>();
        final TreeSet<Integer> trained = new TreeSet<>();
        final Set<String> blocks = new HashSet<>();
        for (final String k : axisKeys) {
          if (a.role(k) == Role.HELD_OUT) {
            held.add(index(k));
            blocks.add(a.block(k));
          } else if (a.role(k) == Role.TRAIN) {
            trained.add(index(k));
          }
        }
        if (held.isEmpty()) {
          continue;
        }
        assertThat(blocks).as(where + ": one block per axis").hasSize(1);
        for (final int t : trained) {
          assertThat(t)
              .as(where + ": training slice next to the block")
              .matches(i -> i < held.first() - gap || i > held.last() + gap);
        }
        // contiguous in the corrected slices: nothing but held-out slices inside the block
        assertThat(trained.subSet(held.first(), true, held.last(), true)).as(where).isEmpty();
        // the block lies at one end: nothing trains on one side of it
        assertThat(
                trained.headSet(held.first()).isEmpty() || trained.tailSet(held.last()).isEmpty())
            .as(where + ": end block")
            .isTrue();
      }
    }
  }

  private static List<String> randomSet(final Random random) {
    final List<String> keys = new ArrayList<>();
    final int series = random.nextInt(10) < 7 ? 1 : 2 + random.nextInt(3);
    for (int s = 0; s < series; s++) {
      final int axes = random.nextInt(5) == 0 ? 2 : 1;
      for (int ax = 0; ax < axes; ax++) {
        final String axis = ax == 0 ? "axial" : "coronal";
        final int slabs = 1 + random.nextInt(3);
        for (int slab = 0; slab < slabs; slab++) {
          final int from = random.nextInt(150);
          final int length = 1 + random.nextInt(30);
          final int step = random.nextInt(4) == 0 ? 2 + random.nextInt(3) : 1;
          for (int i = from; i < from + length; i += step) {
            keys.add("1.2.840." + s + "/" + axis + "/" + i);
            if (random.nextInt(5) == 0) {
              keys.add("1.2.840." + s + "/" + axis + "/" + i); // several corrections, one slice
            }
          }
        }
      }
    }
    return keys;
  }

  private static List<Integer> indices(final HoldoutSplit.Assignment a, final Role role) {
    return a.roles().entrySet().stream()
        .filter(e -> e.getValue() == role)
        .map(e -> index(e.getKey()))
        .sorted()
        .toList();
  }

  private static String series(final String key) {
    return key.substring(0, key.indexOf('/'));
  }

  private static String axis(final String key) {
    return key.split("/")[1];
  }

  private static int index(final String key) {
    return Integer.parseInt(key.substring(key.lastIndexOf('/') + 1));
  }
}
