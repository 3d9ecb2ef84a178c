package io.medsam.stream.trainer.demo;

import io.medsam.stream.trainer.TrainerConfig;
import io.medsam.stream.trainer.TrainerWorker;
import io.medsam.stream.trainer.train.TrainingSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the trainer worker until SIGTERM or Ctrl-C:
 * {@code --bootstrap HOST:PORT --bundle DIR [--lr 1e-4] [--steps 200] [--batch 8] [--jitter 20]
 * [--min-new-pairs 32] [--max-wait-minutes 10] [--holdout-fraction 0.2]
 * [--embedding-timeout-seconds 300]}.
 */
public final class TrainerMain {

  private TrainerMain() {}

  /** Parses the options into a configuration (defaults from {@link TrainerConfig#defaults}). */
  public static TrainerConfig parse(final String[] args) {
    final Map<String, String> o = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --option value, got " + args[i]);
      }
      o.put(args[i].substring(2), args[i + 1]);
    }
    if (!o.containsKey("bootstrap") || !o.containsKey("bundle")) {
      throw new IllegalArgumentException("--bootstrap and --bundle are required");
    }
    final TrainerConfig d = TrainerConfig.defaults(o.get("bootstrap"), Path.of(o.get("bundle")));
    final TrainingSettings t = d.training();
    final TrainingSettings training = new TrainingSettings(
        Float.parseFloat(o.getOrDefault("lr", Float.toString(t.learningRate()))),
        Integer.parseInt(o.getOrDefault("steps", Integer.toString(t.steps()))),
        Integer.parseInt(o.getOrDefault("batch", Integer.toString(t.batchSize()))),
        Integer.parseInt(o.getOrDefault("jitter", Integer.toString(t.boxJitterPixels()))),
        t.seed());
    return new TrainerConfig(d.bootstrapServers(), d.bundleDir(), o.getOrDefault("group", d.groupId()),
        Double.parseDouble(o.getOrDefault("holdout-fraction", Double.toString(d.holdoutFraction()))),
        Duration.ofSeconds(Long.parseLong(o.getOrDefault("embedding-timeout-seconds",
            Long.toString(d.embeddingTimeout().toSeconds())))),
        d.maxPending(),
        Integer.parseInt(o.getOrDefault("min-new-pairs", Integer.toString(d.minNewPairs()))),
        Duration.ofMinutes(Long.parseLong(o.getOrDefault("max-wait-minutes",
            Long.toString(d.maxWait().toMinutes())))),
        d.minHoldoutPairs(), d.evalBatchSize(), training);
  }

  /** Starts the worker and blocks until the JVM is asked to stop. */
  public static void main(final String[] args) throws IOException, InterruptedException {
    final TrainerWorker worker = TrainerWorker.start(parse(args));
    final CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        worker.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        stopped.countDown();
      }
    }));
    stopped.await();
  }
}
