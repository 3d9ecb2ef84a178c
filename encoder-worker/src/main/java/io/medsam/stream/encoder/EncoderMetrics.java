package io.medsam.stream.encoder;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The encoder worker's meters (Micrometer; the app exposes them to Prometheus): {@code
 * medsam.encoder.slices} encoded, {@code medsam.encoder.batch.size}, {@code
 * medsam.encoder.encode.latency} per batch, {@code medsam.encoder.consumer.lag} (records behind the
 * end of medsam.slices.v1 on this instance's partitions), {@code medsam.encoder.errors} by kind and
 * {@code medsam.encoder.dead.letters}.
 */
public final class EncoderMetrics {

  private final Counter slices;
  private final DistributionSummary batchSize;
  private final Timer encodeLatency;
  private final AtomicLong consumerLag = new AtomicLong();
  private final MeterRegistry registry;
  private final Counter deadLetters;
  private final String instance;

  /** Registers the meters in {@code registry}, tagged with the worker's transactional id. */
  public EncoderMetrics(final MeterRegistry registry, final String instance) {
    this.registry = registry;
    this.instance = instance;
    this.slices =
        Counter.builder("medsam.encoder.slices")
            .description("slices encoded and committed")
            .tag("instance", instance)
            .register(registry);
    this.batchSize =
        DistributionSummary.builder("medsam.encoder.batch.size")
            .description("slices per encoder run")
            .tag("instance", instance)
            .register(registry);
    this.encodeLatency =
        Timer.builder("medsam.encoder.encode.latency")
            .description("wall time of one batched encoder run")
            .tag("instance", instance)
            .register(registry);
    this.deadLetters =
        Counter.builder("medsam.encoder.dead.letters")
            .description("slices sent to the dead-letter topic")
            .tag("instance", instance)
            .register(registry);
    Gauge.builder("medsam.encoder.consumer.lag", consumerLag, AtomicLong::get)
        .description("records behind the end of the slices topic on assigned partitions")
        .tag("instance", instance)
        .register(registry);
  }

  void batchEncoded(final int size, final long nanos) {
    batchSize.record(size);
    encodeLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  void committed(final int encodedSlices, final int deadLettered) {
    slices.increment(encodedSlices);
    deadLetters.increment(deadLettered);
  }

  void lag(final long records) {
    consumerLag.set(records);
  }

  void error(final String kind) {
    registry.counter("medsam.encoder.errors", "kind", kind, "instance", instance).increment();
  }

  /** Slices committed so far. */
  public double slicesEncoded() {
    return slices.count();
  }
}
