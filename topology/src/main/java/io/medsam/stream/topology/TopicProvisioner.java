package io.medsam.stream.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The idempotent "ensure topics" step run before any worker starts: creates the topics that are
 * missing and checks the ones that exist. A partition count or cleanup policy that differs from the
 * spec cannot be fixed in place (keys would move between partitions; compaction would drop or keep
 * the wrong records), so it stops the start with a {@link TopicMismatchException}; other
 * differences (a smaller {@code max.message.bytes}, another compression, a shorter retention than
 * specified) are reported as warnings.
 */
public final class TopicProvisioner {

  /** How long each admin round trip may take. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private static final Duration RETRY_BACKOFF = Duration.ofMillis(100);
  private static final List<String> RETENTION_CONFIGS =
      List.of(TopicConfig.RETENTION_MS_CONFIG, TopicConfig.RETENTION_BYTES_CONFIG);
  private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

  private TopicProvisioner() {}

  /** {@link #ensure(Admin, List, Duration)} with {@link #DEFAULT_TIMEOUT}. */
  public static ProvisioningReport ensure(final Admin admin, final List<TopicSpec> specs) {
    return ensure(admin, specs, DEFAULT_TIMEOUT);
  }

  /**
   * Creates the missing topics and checks the existing ones. Returns once every topic, new ones
   * included, is described by the cluster as specified.
   *
   * @throws TopicMismatchException when an existing topic has another partition count or cleanup
   *     policy (nothing is created then)
   * @throws KafkaException when the cluster cannot be reached or refuses a request
   */
  public static ProvisioningReport ensure(
      final Admin admin, final List<TopicSpec> specs, final Duration timeout) {
    final Set<String> present = await(admin.listTopics().names(), timeout, "list topics");
    final List<TopicSpec> existing =
        specs.stream().filter(s -> present.contains(s.name())).toList();
    final List<TopicSpec> missing =
        specs.stream().filter(s -> !present.contains(s.name())).toList();
    final List<String> warnings = new ArrayList<>(checkWithRetries(admin, existing, timeout));

    final List<TopicSpec> created = new ArrayList<>();
    final List<TopicSpec> raced = new ArrayList<>();
    if (!missing.isEmpty()) {
      final var futures =
          admin.createTopics(missing.stream().map(TopicSpec::toNewTopic).toList()).values();
      for (final TopicSpec spec : missing) {
        try {
          await(futures.get(spec.name()), timeout, "create topic " + spec.name());
          created.add(spec);
        } catch (TopicExistsException e) {
          raced.add(spec); // another instance created it meanwhile: check it like any other
        }
      }
    }
    // re-reading the created topics also waits until the broker serves their metadata
    final List<TopicSpec> recheck = new ArrayList<>(raced);
    recheck.addAll(created);
    warnings.addAll(checkWithRetries(admin, recheck, timeout));

    final List<String> existingNames = new ArrayList<>();
    existing.forEach(s -> existingNames.add(s.name()));
    raced.forEach(s -> existingNames.add(s.name()));
    final ProvisioningReport report =
        new ProvisioningReport(
            created.stream().map(TopicSpec::name).toList(), existingNames, warnings);
    LOG.info("Topics created: {}; already present: {}", report.created(), report.existing());
    report.warnings().forEach(w -> LOG.warn("Topic differs from its spec: {}", w));
    return report;
  }

  /**
   * A topic created a moment ago (by another instance, say) can be listed before every broker can
   * describe it; such retriable errors are retried until the timeout.
   */
  private static List<String> checkWithRetries(
      final Admin admin, final List<TopicSpec> specs, final Duration timeout) {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        return check(admin, specs, timeout);
      } catch (RetriableException e) {
        if (System.nanoTime() + RETRY_BACKOFF.toNanos() > deadline) {
          throw e;
        }
        LOG.debug("Retrying topic check after {}", e.toString());
        try {
          Thread.sleep(RETRY_BACKOFF.toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new InterruptException("Interrupted while checking topics", interrupted);
        }
      }
    }
  }

  private static List<String> check(
      final Admin admin, final List<TopicSpec> specs, final Duration timeout) {
    if (specs.isEmpty()) {
      return List.of();
    }
    final List<String> names = specs.stream().map(TopicSpec::name).toList();
    final Map<String, TopicDescription> descriptions =
        await(admin.describeTopics(names).allTopicNames(), timeout, "describe topics " + names);
    final List<ConfigResource> resources =
        names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
    final Map<ConfigResource, Config> configs =
        await(admin.describeConfigs(resources).all(), timeout, "describe configs " + names);

    final List<TopicMismatchException.Mismatch> mismatches = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    for (final TopicSpec spec : specs) {
      final int partitions = descriptions.get(spec.name()).partitions().size();
      if (partitions != spec.partitions()) {
        mismatches.add(
            new TopicMismatchException.Mismatch(
                spec.name(),
                "partitions",
                Integer.toString(spec.partitions()),
                Integer.toString(partitions)));
      }
      final Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
      final String policy = value(config, TopicConfig.CLEANUP_POLICY_CONFIG);
      if (!policies(policy).equals(Set.of(spec.cleanupPolicy().configValue()))) {
        mismatches.add(
            new TopicMismatchException.Mismatch(
                spec.name(),
                TopicConfig.CLEANUP_POLICY_CONFIG,
                spec.cleanupPolicy().configValue(),
                policy));
      }
      final String maxBytes = value(config, TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
      if (maxBytes == null || Long.parseLong(maxBytes) < spec.maxMessageBytes()) {
        warnings.add(
            spec.name()
                + ": max.message.bytes is "
                + maxBytes
                + ", expected at least "
                + spec.maxMessageBytes()
                + " (large records will be refused)");
      }
      final String compression = value(config, TopicConfig.COMPRESSION_TYPE_CONFIG);
      if (!spec.compressionType().equals(compression)) {
        warnings.add(
            spec.name()
                + ": compression.type is "
                + compression
                + ", expected "
                + spec.compressionType());
      }
      for (final String retention : RETENTION_CONFIGS) {
        final String expected = spec.configs().get(retention);
        final String actual = value(config, retention);
        if (expected != null && !expected.equals(actual)) {
          warnings.add(
              spec.name()
                  + ": "
                  + retention
                  + " is "
                  + actual
                  + ", expected "
                  + expected
                  + " (records are deleted on another schedule than specified)");
        }
      }
    }
    if (!mismatches.isEmpty()) {
      throw new TopicMismatchException(mismatches);
    }
    return warnings;
  }

  private static String value(final Config config, final String name) {
    final ConfigEntry entry = config.get(name);
    return entry == null ? null : entry.value();
  }

  private static Set<String> policies(final String policy) {
    if (policy == null) {
      return Set.of();
    }
    return Arrays.stream(policy.replace("[", "").replace("]", "").split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toSet());
  }

  private static <T> T await(
      final KafkaFuture<T> future, final Duration timeout, final String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException("Interrupted while waiting to " + what, e);
    } catch (TimeoutException e) {
      throw new org.apache.kafka.common.errors.TimeoutException(
          "Timed out after " + timeout + " waiting to " + what, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof KafkaException kafka) {
        throw kafka;
      }
      throw new KafkaException("Failed to " + what, e.getCause());
    }
  }
}
