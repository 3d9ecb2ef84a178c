package io.medsam.stream.decoder.bench;

import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.MaskStatus;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.decoder.DecoderWorker;
import io.medsam.stream.decoder.DecoderWorkerConfig;
import io.medsam.stream.decoder.OnnxMaskDecoder;
import io.medsam.stream.decoder.bundle.BundleFormatException;
import io.medsam.stream.decoder.bundle.ModelBundle;
import io.medsam.stream.decoder.session.DecoderSessionException;
import io.medsam.stream.decoder.session.DecoderSessions;
import io.medsam.stream.decoder.session.MaskDecoderSession;
import io.medsam.stream.topology.ClientConfigs;
import io.medsam.stream.topology.Topics;
import io.medsam.stream.topology.decode.DecodeRequest;
import io.medsam.stream.topology.decode.MaskDecodingException;
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
 * Decoder latency benchmark (a command, not a timed test): prompt produced to MaskResult
 * consumed by a read_committed consumer, for prompts whose embeddings are already present, one
 * prompt in flight at a time; against a direct {@link OnnxMaskDecoder} call on the same inputs in
 * the same JVM with the same session settings. The last line printed is one JSON object.
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
      embeddings.add(BenchmarkInputs.embedding(
          bundle, "bench-" + settings.runId() + "/axial/" + s, settings.height(), settings.width(), s));
    }
    final Random random = new Random(42);
    final List<BoxPrompt> prompts = new ArrayList<>();
    for (int i = 0; i < settings.warmup() + settings.prompts(); i++) {
      final SliceEmbedding e = embeddings.get(i % embeddings.size());
      prompts.add(BenchmarkInputs.prompt(
          settings.runId() + "-" + i, e.getSliceKey(), settings.height(), settings.width(), random));
    }
    out.printf(Locale.ROOT, "bundle %s %s (%s), embedding %s, image %dx%d, %d prompts (+%d warm-up), session %s%n",
        bundle.id(), bundle.version(), bundle.config(), bundle.embeddingShape(), settings.height(),
        settings.width(), settings.prompts(), settings.warmup(), settings.session());

    final LatencyStats direct = direct(bundle, settings, embeddings, prompts);
    out.println("direct decoder call:  " + direct);
    final double[] burst = new double[1];
    final LatencyStats pipeline = pipeline(settings, embeddings, prompts, out, burst);
    out.println("pipeline (produced -> consumed, read_committed): " + pipeline);
    out.printf(Locale.ROOT, "burst of %d prompts sent at once: %.1f prompts/s%n", settings.prompts(), burst[0]);
    final BenchmarkResult result =
        new BenchmarkResult(bundle.id() + "/" + bundle.config(), settings, direct, pipeline, burst[0]);
    out.println(result.toJson());
    return result;
  }

  private static LatencyStats direct(
      final ModelBundle bundle, final BenchmarkSettings settings, final List<SliceEmbedding> embeddings,
      final List<BoxPrompt> prompts) throws BenchmarkException {
    final Map<String, SliceEmbedding> bySlice = new HashMap<>();
    embeddings.forEach(e -> bySlice.put(e.getSliceKey(), e));
    final double[] millis = new double[settings.prompts()];
    try (DecoderSessions sessions =
        new DecoderSessions(MaskDecoderSession.open(bundle, settings.session(), Optional.empty()))) {
      final OnnxMaskDecoder decoder = new OnnxMaskDecoder(bundle, sessions);
      for (int i = 0; i < prompts.size(); i++) {
        final BoxPrompt p = prompts.get(i);
        final DecodeRequest request = new DecodeRequest(p, bySlice.get(p.getSliceKey()), Instant.now());
        final long t0 = System.nanoTime();
        final MaskResult r = decoder.decode(List.of(request)).get(0);
        final double ms = (System.nanoTime() - t0) / 1e6;
        if (r.getStatus() != MaskStatus.OK) {
          throw new BenchmarkException("direct decode failed: " + r.getReason(), null);
        }
        if (i >= settings.warmup()) {
          millis[i - settings.warmup()] = ms;
        }
      }
    } catch (final DecoderSessionException | MaskDecodingException e) {
      throw new BenchmarkException("direct decoder failed: " + e.getMessage(), e);
    }
    return LatencyStats.of(millis);
  }

  private static LatencyStats pipeline(
      final BenchmarkSettings settings, final List<SliceEmbedding> embeddings, final List<BoxPrompt> prompts,
      final PrintStream out, final double[] burstRate) throws BenchmarkException, InterruptedException {
    final Map<String, CompletableFuture<Long>> arrivals = new ConcurrentHashMap<>();
    final List<BoxPrompt> burst = new ArrayList<>();
    for (final BoxPrompt p : prompts) {
      arrivals.put(p.getPromptId(), new CompletableFuture<>());
      final BoxPrompt b = BoxPrompt.newBuilder(p).setPromptId(p.getPromptId() + "-burst").build();
      burst.add(b);
      arrivals.put(b.getPromptId(), new CompletableFuture<>());
    }
    final Map<String, Object> producerConfig = new HashMap<>(ClientConfigs.producer(settings.bootstrapServers()));
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    final AvroCodec<SliceEmbedding> embeddingCodec = AvroCodec.of(SliceEmbedding.class);
    final AvroCodec<BoxPrompt> promptCodec = AvroCodec.of(BoxPrompt.class);
    final DecoderWorkerConfig workerConfig = settings.workerConfig();
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig);
        ResultWatcher watcher = ResultWatcher.start(settings.bootstrapServers(), arrivals);
        DecoderWorker worker = new DecoderWorker(workerConfig, v -> {})) {
      for (final SliceEmbedding e : embeddings) {
        producer.send(new ProducerRecord<>(Topics.EMBEDDINGS, e.getSliceKey(), embeddingCodec.encode(e))).get();
      }
      worker.start();
      if (!worker.awaitRunning(Duration.ofSeconds(120))) {
        throw new BenchmarkException("decoder worker did not reach RUNNING", null);
      }
      out.println("decoder worker running; measuring");
      final double[] millis = new double[settings.prompts()];
      final double[] inWorker = new double[settings.prompts()];
      for (int i = 0; i < prompts.size(); i++) {
        final BoxPrompt p = prompts.get(i);
        p.setRequestedAt(Instant.now());
        final long t0 = System.nanoTime();
        producer.send(new ProducerRecord<>(Topics.PROMPTS, p.getSliceKey(), promptCodec.encode(p)));
        final long arrived = arrivals.get(p.getPromptId()).get(60, TimeUnit.SECONDS);
        if (i >= settings.warmup()) {
          millis[i - settings.warmup()] = (arrived - t0) / 1e6;
          inWorker[i - settings.warmup()] = watcher.workerLatency(p.getPromptId());
        }
      }
      out.println("  of which produced -> result produced in the worker (before the commit): " + LatencyStats.of(inWorker));
      final long b0 = System.nanoTime();
      for (final BoxPrompt p : burst.subList(settings.warmup(), burst.size())) {
        p.setRequestedAt(Instant.now());
        producer.send(new ProducerRecord<>(Topics.PROMPTS, p.getSliceKey(), promptCodec.encode(p)));
      }
      long last = b0;
      for (final BoxPrompt p : burst.subList(settings.warmup(), burst.size())) {
        last = Math.max(last, arrivals.get(p.getPromptId()).get(120, TimeUnit.SECONDS));
      }
      burstRate[0] = settings.prompts() / ((last - b0) / 1e9);
      if (watcher.notOk() > 0) {
        throw new BenchmarkException(watcher.notOk() + " prompts were not answered OK", null);
      }
      return LatencyStats.of(millis);
    } catch (final ExecutionException | TimeoutException e) {
      throw new BenchmarkException("pipeline failed: " + e, e);
    } catch (final BundleFormatException | DecoderSessionException e) {
      throw new BenchmarkException("decoder worker failed to start: " + e.getMessage(), e);
    }
  }
}
