package io.medsam.stream.encoder.bench;

import io.medsam.stream.avro.ImageSlice;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.bundle.BundleFormatException;
import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.encoder.BundleException;
import io.medsam.stream.encoder.EncoderException;
import io.medsam.stream.encoder.EncoderSessionOptions;
import io.medsam.stream.encoder.EncoderWorker;
import io.medsam.stream.encoder.EncoderWorkerConfig;
import io.medsam.stream.encoder.ImageEncoderSession;
import io.medsam.stream.encoder.SliceBatchEncoder;
import io.medsam.stream.topology.ClientConfigs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Slices per second of the full encoder path (ImageSlice committed in Kafka to SliceEmbedding
 * committed in Kafka, through {@link EncoderWorker}) against the same {@link SliceBatchEncoder}
 * (model-input building, ONNX Runtime, float16 packing) called directly on the same slices, in one
 * run and one session, for each batch size. The pipeline clock starts when the transaction holding
 * all N slices commits (a read_committed worker cannot see them earlier) and stops when the worker
 * has committed N embeddings; the worker is warmed up (group joined, first batch encoded) before.
 * The direct figure is the mean of a run before and a run after the pipeline's. For bundles of the
 * LiteMedSAM family (or when asked) the same slices also go through the PyTorch forward pass of the
 * same weights ({@link PyTorchBaseline}, a Python subprocess, batch 1, same thread count), measured
 * before and after all batch sizes and averaged, and each direct figure is also given as a ratio to
 * it. It runs on throw-away topics of its own ({@link RunTopics}), which the caller creates before
 * and deletes after ({@code medsam bench encoder} does both). The last line printed is one JSON
 * object.
 */
public final class EncoderBenchmark {

  /**
   * @param bootstrapServers Kafka to use
   * @param bundle model bundle folder
   * @param volume NIfTI volume whose axial slices are encoded (cycled to N)
   * @param slices N, slices per measurement
   * @param batchSizes B values to measure; the last one is the headline figure
   * @param intraOpThreads ONNX Runtime intra-op threads (and PyTorch's threads)
   * @param maxWait T of the worker
   * @param pytorch whether and how to measure the PyTorch baseline
   */
  public record Options(
      String bootstrapServers,
      Path bundle,
      Path volume,
      int slices,
      List<Integer> batchSizes,
      int intraOpThreads,
      Duration maxWait,
      PyTorchBaseline.Settings pytorch) {}

  /**
   * The throw-away topics of one run, laid out like medsam.slices.v1 and medsam.embeddings.v1
   * (their partitions and configs, one replica): they must exist when {@link #run} starts.
   *
   * @param run the run's id, also naming its consumer group and transactional ids
   * @param slices the topic the slices are fed to
   * @param embeddings the topic the worker writes the embeddings to
   */
  public record RunTopics(String run, String slices, String embeddings) {

    /**
     * @return the topics of a new run, {@code medsam.bench.slices.<run>} and {@code
     *     medsam.bench.embeddings.<run>}
     */
    public static RunTopics fresh() {
      final String run = UUID.randomUUID().toString().substring(0, 8);
      return new RunTopics(run, "medsam.bench.slices." + run, "medsam.bench.embeddings." + run);
    }
  }

  /** One batch size's figures. */
  public record Point(int batchSize, double directSlicesPerSecond, double pipelineSlicesPerSecond) {
    /** pipeline / direct. */
    public double ratio() {
      return pipelineSlicesPerSecond / directSlicesPerSecond;
    }

    /** direct / PyTorch (NaN without a PyTorch figure). */
    public double directVsPyTorch(final PyTorchBaseline.Result pytorch) {
      return directSlicesPerSecond / pytorch.slicesPerSecond();
    }
  }

  private EncoderBenchmark() {}

  /**
   * Runs the benchmark, printing one line per batch size and a final JSON line to {@code out}.
   *
   * @param options what to measure
   * @param topics the run's topics, already created
   * @param out where the lines go
   * @return the JSON line
   */
  public static String run(final Options options, final RunTopics topics, final PrintStream out)
      throws BundleException, EncoderException, IOException, InterruptedException {
    final ModelBundle bundle;
    try {
      bundle = ModelBundle.read(options.bundle());
    } catch (final BundleFormatException e) {
      throw new BundleException(e.getMessage(), e);
    }
    final String run = topics.run();
    final List<Point> points = new ArrayList<>();
    try (ImageEncoderSession session =
        ImageEncoderSession.open(bundle, EncoderSessionOptions.cpu(options.intraOpThreads()))) {
      out.printf(
          Locale.ROOT,
          "encoder %s on %s, %d intra-op threads, %d slices per point%n",
          session.encoderModelId(),
          session.provider(),
          options.intraOpThreads(),
          options.slices());
      // like the direct runs, PyTorch runs before and after everything else, averaged
      final PyTorchBaseline.Result pytorchBefore = pytorch(options, bundle, out, "before");
      final SliceBatchEncoder direct = new SliceBatchEncoder(session);
      final EncoderWorkerConfig base =
          EncoderWorkerConfig.of(options.bootstrapServers(), "medsam-encoder-bench-" + run)
              .withTopics("medsam-encoder-bench-" + run, topics.slices(), topics.embeddings());
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(
              ClientConfigs.transactionalProducer(options.bootstrapServers(), "bench-feed-" + run),
              new ByteArraySerializer(),
              new ByteArraySerializer())) {
        producer.initTransactions();
        for (final int b : options.batchSizes()) {
          final List<ImageSlice> slices =
              BenchSlices.axial(options.volume(), options.slices(), "bench-" + run + "-b" + b);
          // direct runs before and after the pipeline, averaged, so that drifting load on a
          // shared machine does not favour either side
          final double directBefore = direct(direct, slices, b);
          final double pipelineRate =
              pipeline(base.withBatching(b, options.maxWait()), session, producer, slices, b);
          final double directRate = (directBefore + direct(direct, slices, b)) / 2;
          final Point p = new Point(b, directRate, pipelineRate);
          points.add(p);
          out.printf(
              Locale.ROOT,
              "batch %d: direct %.2f slices/s, pipeline %.2f slices/s, ratio %.3f "
                  + "(time inside ONNX Runtime: pipeline %.0f%%, direct %.0f%%)%n",
              b,
              p.directSlicesPerSecond(),
              p.pipelineSlicesPerSecond(),
              p.ratio(),
              100 * lastEncoderBusy,
              100 * lastDirectEncoderBusy);
        }
      }
      final PyTorchBaseline.Result pytorch =
          pytorchBefore.measured()
              ? pytorchBefore.averagedWith(pytorch(options, bundle, out, "after"))
              : pytorchBefore;
      if (pytorch.measured()) {
        for (final Point p : points) {
          out.printf(
              Locale.ROOT,
              "batch %d: ONNX Runtime (Java) direct %.3f slices/s / PyTorch %.3f slices/s "
                  + "(batch 1, mean of both runs) = %.3f%n",
              p.batchSize(),
              p.directSlicesPerSecond(),
              pytorch.slicesPerSecond(),
              p.directVsPyTorch(pytorch));
        }
      }
      final String json = BenchJson.line(bundle, session, options, points, pytorch);
      out.println(json);
      return json;
    }
  }

  private static PyTorchBaseline.Result pytorch(
      final Options options, final ModelBundle bundle, final PrintStream out, final String when)
      throws InterruptedException {
    final PyTorchBaseline.Result r =
        PyTorchBaseline.measure(
            options.pytorch(),
            bundle,
            options.volume(),
            options.slices(),
            options.intraOpThreads());
    out.println(
        r.measured()
            ? String.format(
                Locale.ROOT,
                "PyTorch baseline %s (%s weights, batch 1, %d threads, torch %s): %.3f slices/s",
                when,
                r.report().path("weights").asText(),
                options.intraOpThreads(),
                r.report().path("torch_version").asText(),
                r.slicesPerSecond())
            : "PyTorch baseline " + r.status().name().toLowerCase(Locale.ROOT) + ": " + r.reason());
    return r;
  }

  /**
   * The same encoder called in a plain loop on a dedicated thread, as the worker's encoder thread
   * calls it (ONNX Runtime was seen to run measurably slower when driven from the JVM's main thread
   * on the shared machine, which would flatter the pipeline).
   */
  private static double direct(
      final SliceBatchEncoder encoder, final List<ImageSlice> slices, final int batch)
      throws EncoderException, InterruptedException {
    final ExecutorService thread = Executors.newSingleThreadExecutor();
    try {
      return thread.submit(() -> directLoop(encoder, slices, batch)).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof EncoderException encoderFailure) {
        throw encoderFailure;
      }
      throw new IllegalStateException("direct encoding failed", e.getCause());
    } finally {
      thread.shutdown();
    }
  }

  private static double directLoop(
      final SliceBatchEncoder encoder, final List<ImageSlice> slices, final int batch)
      throws EncoderException {
    encoder.encode(slices.subList(0, Math.min(batch, slices.size()))); // warm-up
    final long start = System.nanoTime();
    long insideEncoder = 0;
    for (int i = 0; i < slices.size(); i += batch) {
      insideEncoder +=
          encoder.encode(slices.subList(i, Math.min(i + batch, slices.size()))).encodeNanos();
    }
    final long wall = System.nanoTime() - start;
    lastDirectEncoderBusy = (double) insideEncoder / wall;
    return slices.size() / (wall / 1e9);
  }

  private static double pipeline(
      final EncoderWorkerConfig config,
      final ImageEncoderSession session,
      final KafkaProducer<byte[], byte[]> producer,
      final List<ImageSlice> slices,
      final int batch)
      throws InterruptedException {
    final AvroCodec<ImageSlice> codec = AvroCodec.of(ImageSlice.class);
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final EncoderWorker worker =
        new EncoderWorker(
            config.withTransactionalId("encoder-bench-" + config.groupId() + "-b" + batch),
            session,
            registry);
    worker.start();
    try {
      final List<ImageSlice> warm = slices.subList(0, Math.min(batch, slices.size()));
      send(producer, codec, config.sliceTopic(), warm, "warm");
      awaitEncoded(worker, warm.size());
      final double encodeBefore = encodeSeconds(registry);
      // the clock starts before the first send: the worker encodes while the feed is still
      // producing, and that work belongs to the pipeline's time
      final long start = System.nanoTime();
      send(producer, codec, config.sliceTopic(), slices, "run");
      awaitEncoded(worker, warm.size() + slices.size());
      final double wall = (System.nanoTime() - start) / 1e9;
      lastEncoderBusy = (encodeSeconds(registry) - encodeBefore) / wall;
      return slices.size() / wall;
    } finally {
      worker.close();
    }
  }

  /** Share of the pipeline's wall time spent inside encoder runs (last pipeline measured). */
  private static double lastEncoderBusy;

  /** Share of the direct loop's wall time spent inside encoder runs (last direct measured). */
  private static volatile double lastDirectEncoderBusy;

  private static double encodeSeconds(final SimpleMeterRegistry registry) {
    final io.micrometer.core.instrument.Timer timer =
        registry.find("medsam.encoder.encode.latency").timer();
    return timer == null ? 0 : timer.totalTime(java.util.concurrent.TimeUnit.SECONDS);
  }

  private static void send(
      final KafkaProducer<byte[], byte[]> producer,
      final AvroCodec<ImageSlice> codec,
      final String topic,
      final List<ImageSlice> slices,
      final String tag) {
    producer.beginTransaction();
    for (final ImageSlice slice : slices) {
      final String key = slice.getSliceKey() + "/" + tag;
      producer.send(
          new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), codec.encode(slice)));
    }
    producer.commitTransaction();
  }

  private static void awaitEncoded(final EncoderWorker worker, final int count)
      throws InterruptedException {
    final long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
    while (worker.slicesEncoded() < count) {
      if (worker.failure().isPresent()) {
        throw new IllegalStateException("encoder worker failed", worker.failure().get());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "encoder worker encoded "
                + worker.slicesEncoded()
                + " of "
                + count
                + " slices in 30 minutes");
      }
      Thread.sleep(1);
    }
  }

  /** ch2.nii.gz from the mricron-data package. */
  public static final String DEFAULT_VOLUME = "/usr/share/mricron/templates/ch2.nii.gz";
}
