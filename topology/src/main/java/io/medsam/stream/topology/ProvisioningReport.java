package io.medsam.stream.topology;

import java.util.List;

/**
 * What {@link TopicProvisioner#ensure} found and did.
 *
 * @param created topics it created
 * @param existing topics that already existed with the right partitions and cleanup policy
 * @param warnings differences it tolerates (e.g. a smaller {@code max.message.bytes}), one line
 *     each
 */
public record ProvisioningReport(
    List<String> created, List<String> existing, List<String> warnings) {

  /** Copies the lists. */
  public ProvisioningReport {
    created = List.copyOf(created);
    existing = List.copyOf(existing);
    warnings = List.copyOf(warnings);
  }
}
