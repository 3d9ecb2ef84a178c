package io.medsam.stream.decoder.bench;

import io.medsam.stream.avro.Box;
import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.avro.SliceStep;
import io.medsam.stream.avro.VolumeMask;
import io.medsam.stream.avro.VolumePrompt;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.bundle.BundleFormatException;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.decoder.DecoderWorker;
import io.medsam.stream.decoder.OnnxMaskDecoder;
import io.medsam.stream.decoder.session.DecoderSessionException;
import io.medsam.stream.decoder.session.DecoderSessions;
import io.medsam.stream.decoder.session.MaskDecoderSession;
import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.Topics;
import io.medsam.stream.topology.decode.DecodeRequest;
import io.medsam.stream.topology.decode.MaskDecodingException;
import io.medsam.stream.topology.decode.MaskOutcome;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code medsam bench volume}: walks of {@code settings.slices()} slices (one VolumePrompt each)
 * through a decoder worker, against the same steps decoded by direct decoder calls in the same JVM
 * (each walk is replayed directly right after it ran, with the boxes the walk used, so both see the
 * same load). Per step: walk time / slices vs the direct calls' time / slices; the last line is one
 * JSON object.
 */
public final class VolumeBenchmark {

  private VolumeBenchmark() {}

  /**
   * Runs the benchmark against a running broker whose MedSAM topics exist.
   *
   * @param settings slices (the walk's length), image size, session, commit interval, state dir
   * @param walks measured walks (after one warm-up walk)
   * @param out where progress and the final JSON line go
   * @return the JSON line
   * @throws BenchmarkException when the bundle, the decoder or the pipeline fails
   * @throws InterruptedException when interrupted
   */
  public static String run(final BenchmarkSettings settings, final int walks, final PrintStream out)
      throws BenchmarkException, InterruptedException {
    final ModelBundle bundle;
    try {
      bundle = ModelBundle.read(settings.bundleDir());
    } catch (final BundleFormatException e) {
      throw new BenchmarkException("cannot read bundle: " + e.getMessage(), e);
    }
    final String series = "benchvol-" + settings.runId();
    final int n = settings.slices();
    final List<SliceEmbedding> embeddings = new ArrayList<>();
    for (int z = 0; z < n; z++) {
      embeddings.add(
          BenchmarkInputs.embedding(
              bundle, series + "/axial/" + z, settings.height(), settings.width(), z));
    }
    final Map<String, Object> producerConfig =
        new HashMap<>(ClientConfigs.producer(settings.bootstrapServers()));
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    final Map<String, Object> consumerConfig =
        new HashMap<>(ClientConfigs.consumer(settings.bootstrapServers(), "unused"));
    consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
    final double[] walkMs = new double[walks];
    final double[] directMs = new double[walks];
    final List<Double> stepMs = new ArrayList<>();
    try (DecoderSessions directSessions =
            new DecoderSessions(
                MaskDecoderSession.open(bundle, settings.session(), Optional.empty()));
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig);
        KafkaConsumer<String, byte[]> results = new KafkaConsumer<>(consumerConfig);
        DecoderWorker worker = new DecoderWorker(settings.workerConfig(), v -> {})) {
      final OnnxMaskDecoder direct = new OnnxMaskDecoder(bundle, directSessions);
      final List<TopicPartition> parts =
          results.partitionsFor(Topics.VOLUME_MASKS).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      results.assign(parts);
      results.seekToEnd(parts);
      parts.forEach(results::position);
      DecoderBenchmark.publishAndStart(producer, embeddings, worker);
      out.printf(
          Locale.ROOT,
          "bundle %s %s, image %dx%d, walks of %d slices: 1 warm-up + %d measured%n",
          bundle.id(),
          bundle.version(),
          settings.height(),
          settings.width(),
          n,
          walks);
      for (int w = -1; w < walks; w++) {
        final long t0 = System.nanoTime();
        final VolumeMask v = walk(producer, results, series, settings, "walk-" + w);
        final double ms = (System.nanoTime() - t0) / 1e6;
        final double d = replay(direct, v, embeddings);
        if (w >= 0) {
          walkMs[w] = ms;
          directMs[w] = d;
          v.getSteps().forEach(s -> stepMs.add(s.getStepMillis()));
          out.printf(
              Locale.ROOT,
              "walk %d: %d slices in %.0f ms through Kafka, %.1f ms by direct calls%n",
              w,
              v.getVisitedSlices().size(),
              ms,
              d);
        }
      }
    } catch (final DecoderSessionException
        | BundleFormatException
        | ExecutionException
        | MaskDecodingException e) {
      throw new BenchmarkException("volume benchmark failed: " + e.getMessage(), e);
    }
    final LatencyStats pipelineStep = LatencyStats.of(perStep(walkMs, n));
    final LatencyStats directStep = LatencyStats.of(perStep(directMs, n));
    final LatencyStats inWalker =
        LatencyStats.of(stepMs.stream().mapToDouble(Double::doubleValue).toArray());
    out.println("per step through Kafka (walk time / slices): " + pipelineStep);
    out.println("  step prompt sent -> its result at the walker: " + inWalker);
    out.println("per step by a direct decoder call: " + directStep);
    final String json =
        String.format(
            Locale.ROOT,
            "{\"bundle\": \"%s\", \"slices\": %d, \"walks\": %d, \"image\": \"%dx%d\","
                + " \"pipeline_step_p50_ms\": %.3f, \"pipeline_step_mean_ms\": %.3f,"
                + " \"walker_step_p50_ms\": %.3f, \"direct_step_p50_ms\": %.3f,"
                + " \"direct_step_mean_ms\": %.3f, \"ratio_p50\": %.1f,"
                + " \"commit_interval_ms\": %d, \"intra_op_threads\": %d}",
            (bundle.id() + "/" + bundle.config()).replace("\"", "'"),
            n,
            walks,
            settings.height(),
            settings.width(),
            pipelineStep.p50(),
            pipelineStep.mean(),
            inWalker.p50(),
            directStep.p50(),
            directStep.mean(),
            pipelineStep.p50() / directStep.p50(),
            settings.commitInterval().toMillis(),
            settings.session().intraOpThreads());
    out.println(json);
    return json;
  }

  private static double[] perStep(final double[] walkMillis, final int slices) {
    final double[] out = new double[walkMillis.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = walkMillis[i] / slices;
    }
    return out;
  }

  private static VolumeMask walk(
      final KafkaProducer<String, byte[]> producer,
      final KafkaConsumer<String, byte[]> results,
      final String series,
      final BenchmarkSettings settings,
      final String id)
      throws BenchmarkException, InterruptedException, ExecutionException {
    final int h = settings.height();
    final int w = settings.width();
    final VolumePrompt prompt =
        VolumePrompt.newBuilder()
            .setPromptId(settings.runId() + "-" + id)
            .setSeriesUid(series)
            .setAxis("axial")
            .setBox(new Box(w / 4f, h / 4f, 3 * w / 4f, 3 * h / 4f))
            .setZ0(0)
            .setZ1(settings.slices() - 1)
            .setRequestedAt(Instant.now())
            .build();
    producer
        .send(
            new ProducerRecord<>(
                Topics.VOLUME_PROMPTS, series, AvroCodec.of(VolumePrompt.class).encode(prompt)))
        .get();
    final AvroCodec<VolumeMask> codec = AvroCodec.of(VolumeMask.class);
    final long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (System.nanoTime() < deadline) {
      for (final ConsumerRecord<String, byte[]> r : results.poll(Duration.ofMillis(20))) {
        final VolumeMask v = codec.decode(r.value(), r.topic(), r.partition(), r.offset());
        if (v.getPromptId().equals(prompt.getPromptId())) {
          if (!v.getStatus().toString().equals("OK")) {
            throw new BenchmarkException(
                "walk answered " + v.getStatus() + ": " + v.getReason(), null);
          }
          return v;
        }
      }
    }
    throw new BenchmarkException("no VolumeMask for " + prompt.getPromptId() + " in 5 min", null);
  }

  /** The walk's steps by direct decoder calls, one call per step with the box it used (ms). */
  private static double replay(
      final OnnxMaskDecoder direct, final VolumeMask v, final List<SliceEmbedding> embeddings)
      throws MaskDecodingException, BenchmarkException {
    long total = 0;
    for (final SliceStep s : v.getSteps()) {
      final BoxPrompt p =
          BoxPrompt.newBuilder()
              .setPromptId(s.getPromptId() + "-direct")
              .setSliceKey(s.getSliceKey())
              .setBox(s.getBox())
              .setRequestedAt(Instant.now())
              .build();
      final long t0 = System.nanoTime();
      final MaskOutcome r =
          direct
              .decode(List.of(new DecodeRequest(p, embeddings.get(s.getIndex()), Instant.now())))
              .get(0);
      total += System.nanoTime() - t0;
      if (r instanceof MaskOutcome.Failed f) {
        throw new BenchmarkException("direct decode failed: " + f.reason(), null);
      }
    }
    return total / 1e6;
  }
}
