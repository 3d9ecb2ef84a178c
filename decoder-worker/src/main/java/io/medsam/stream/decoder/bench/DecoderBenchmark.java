package io.medsam.stream.decoder.bench;

import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.SliceEmbedding;
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
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Decoder latency benchmark (a command, not a timed test): prompt produced to MaskResult consumed
 * by a read_committed consumer, for prompts whose embeddings are already present, one prompt in
 * flight at a time; against a direct {@link OnnxMaskDecoder} call on the same inputs in the same
 * JVM with the same session settings, the two alternating prompt by prompt. Then a burst of the
 * same number of prompts sent at once (throughput, batching at work). The last line printed is one
 * JSON object.
 */
public final class DecoderBenchmark {

  private DecoderBenchmark() {}

  /**
   * Runs the benchmark against a running broker whose MedSAM topics exist.
   *
   * @param settings what to measure and how
   * @param out where progress and the final JSON line go
   * @return the figures
   * @throws BenchmarkException when the bundle, the decoder or the pipeline fails
   * @throws InterruptedException when interrupted
   */
  public static BenchmarkResult run(final BenchmarkSettings settings, final PrintStream out)
      throws BenchmarkException, InterruptedException {
    final ModelBundle bundle;
    try {
      bundle = ModelBundle.read(settings.bundleDir());
    } catch (final BundleFormatException e) {
      throw new BenchmarkException("cannot read bundle: " + e.getMessage(), e);
    }
    final List<SliceEmbedding> embeddings = new ArrayList<>();
    for (int s = 0; s < settings.slices(); s++) {
      embeddings.add(
          BenchmarkInputs.embedding(
              bundle,
              "bench-" + settings.runId() + "/axial/" + s,
              settings.height(),
              settings.width(),
              s));
    }
    final Random random = new Random(42);
    final List<BoxPrompt> prompts = new ArrayList<>();
    for (int i = 0; i < settings.warmup() + settings.prompts(); i++) {
      final SliceEmbedding e = embeddings.get(i % embeddings.size());
      prompts.add(
          BenchmarkInputs.prompt(
              settings.runId() + "-" + i,
              e.getSliceKey(),
              settings.height(),
              settings.width(),
              random));
    }
    out.printf(
        Locale.ROOT,
        "bundle %s %s (%s), embedding %s, image %dx%d, %d prompts (+%d warm-up), session %s%n",
        bundle.id(),
        bundle.version(),
        bundle.config(),
        bundle.embeddingShape(),
        settings.height(),
        settings.width(),
        settings.prompts(),
        settings.warmup(),
        settings.session());

    final Measured m = measure(bundle, settings, embeddings, prompts, out);
    out.println("direct decoder call:  " + m.direct());
    out.println("pipeline (produced -> consumed, read_committed): " + m.pipeline());
    out.println(
        "  of which produced -> result produced in the worker (before the commit): "
            + m.inWorker());
    out.printf(
        Locale.ROOT,
        "burst of %d prompts sent at once: %.1f prompts/s%n",
        settings.prompts(),
        m.burstPerSecond());
    final BenchmarkResult result =
        new BenchmarkResult(
            bundle.id() + "/" + bundle.config(),
            settings,
            m.direct(),
            m.pipeline(),
            m.burstPerSecond());
    out.println(result.toJson());
    return result;
  }

  private record Measured(
      LatencyStats direct, LatencyStats pipeline, LatencyStats inWorker, double burstPerSecond) {}

  /**
   * For each prompt, a direct decoder call and then a pipeline round trip, alternately, so that a
   * change in machine load during the run affects both figures alike.
   */
  private static Measured measure(
      final ModelBundle bundle,
      final BenchmarkSettings settings,
      final List<SliceEmbedding> embeddings,
      final List<BoxPrompt> prompts,
      final PrintStream out)
      throws BenchmarkException, InterruptedException {
    final Map<String, SliceEmbedding> bySlice = new HashMap<>();
    embeddings.forEach(e -> bySlice.put(e.getSliceKey(), e));
    final Map<String, CompletableFuture<Long>> arrivals = new ConcurrentHashMap<>();
    final List<BoxPrompt> burst = new ArrayList<>();
    for (final BoxPrompt p : prompts) {
      arrivals.put(p.getPromptId(), new CompletableFuture<>());
      final BoxPrompt b = BoxPrompt.newBuilder(p).setPromptId(p.getPromptId() + "-burst").build();
      burst.add(b);
      arrivals.put(b.getPromptId(), new CompletableFuture<>());
    }
    final Map<String, Object> producerConfig =
        new HashMap<>(ClientConfigs.producer(settings.bootstrapServers()));
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    final AvroCodec<BoxPrompt> promptCodec = AvroCodec.of(BoxPrompt.class);
    try (DecoderSessions directSessions =
            new DecoderSessions(
                MaskDecoderSession.open(bundle, settings.session(), Optional.empty()));
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig);
        ResultWatcher watcher = ResultWatcher.start(settings.bootstrapServers(), arrivals);
        DecoderWorker worker = new DecoderWorker(settings.workerConfig(), v -> {})) {
      final OnnxMaskDecoder direct = new OnnxMaskDecoder(bundle, directSessions);
      publishAndStart(producer, embeddings, worker);
      out.println("decoder worker running; measuring");
      final int n = settings.prompts();
      final double[] directMs = new double[n];
      final double[] pipelineMs = new double[n];
      final double[] inWorkerMs = new double[n];
      for (int i = 0; i < prompts.size(); i++) {
        final BoxPrompt p = prompts.get(i);
        final long d0 = System.nanoTime();
        final MaskOutcome r =
            direct
                .decode(List.of(new DecodeRequest(p, bySlice.get(p.getSliceKey()), Instant.now())))
                .get(0);
        final double d = (System.nanoTime() - d0) / 1e6;
        if (r instanceof MaskOutcome.Failed f) {
          throw new BenchmarkException("direct decode failed: " + f.reason(), null);
        }
        p.setRequestedAt(Instant.now());
        final long t0 = System.nanoTime();
        producer.send(new ProducerRecord<>(Topics.PROMPTS, p.getSliceKey(), promptCodec.encode(p)));
        final long arrived = arrivals.get(p.getPromptId()).get(60, TimeUnit.SECONDS);
        if (i >= settings.warmup()) {
          directMs[i - settings.warmup()] = d;
          pipelineMs[i - settings.warmup()] = (arrived - t0) / 1e6;
          inWorkerMs[i - settings.warmup()] = watcher.workerLatency(p.getPromptId());
        }
      }
      final long b0 = System.nanoTime();
      for (final BoxPrompt p : burst.subList(settings.warmup(), burst.size())) {
        p.setRequestedAt(Instant.now());
        producer.send(new ProducerRecord<>(Topics.PROMPTS, p.getSliceKey(), promptCodec.encode(p)));
      }
      long last = b0;
      for (final BoxPrompt p : burst.subList(settings.warmup(), burst.size())) {
        last = Math.max(last, arrivals.get(p.getPromptId()).get(600, TimeUnit.SECONDS));
      }
      if (watcher.notOk() > 0) {
        throw new BenchmarkException(watcher.notOk() + " prompts were not answered OK", null);
      }
      return new Measured(
          LatencyStats.of(directMs),
          LatencyStats.of(pipelineMs),
          LatencyStats.of(inWorkerMs),
          n / ((last - b0) / 1e9));
    } catch (final ExecutionException | TimeoutException e) {
      throw new BenchmarkException("pipeline failed: " + e, e);
    } catch (final BundleFormatException | DecoderSessionException | MaskDecodingException e) {
      throw new BenchmarkException("decoder failed: " + e.getMessage(), e);
    }
  }

  /**
   * Publishes the embeddings (each acknowledged) and starts the worker.
   *
   * @throws BenchmarkException when the worker does not reach RUNNING within 2 minutes
   */
  static void publishAndStart(
      final KafkaProducer<String, byte[]> producer,
      final List<SliceEmbedding> embeddings,
      final DecoderWorker worker)
      throws BenchmarkException, InterruptedException, ExecutionException {
    final AvroCodec<SliceEmbedding> codec = AvroCodec.of(SliceEmbedding.class);
    for (final SliceEmbedding e : embeddings) {
      producer
          .send(new ProducerRecord<>(Topics.EMBEDDINGS, e.getSliceKey(), codec.encode(e)))
          .get();
    }
    worker.start();
    if (!worker.awaitRunning(Duration.ofSeconds(120))) {
      throw new BenchmarkException("decoder worker did not reach RUNNING", null);
    }
  }
}
