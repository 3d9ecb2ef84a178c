package io.medsam.stream.decoder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A decoder worker in its own JVM ({@link DecoderWorker#main}), so that a test can kill -9 it. */
final class WorkerProcess implements AutoCloseable {

  private final Process process;

  private WorkerProcess(final Process process) {
    this.process = process;
  }

  /**
   * The arguments of a test worker: one stream thread, short session and transaction timeouts, so
   * that a killed worker's tasks move on quickly.
   */
  static List<String> arguments(
      final String bootstrapServers, final String applicationId, final Path stateDir) {
    return List.of(
        "--bootstrap",
        bootstrapServers,
        "--bundle",
        TestBundles.tinyBundle().toString(),
        "--application-id",
        applicationId,
        "--state-dir",
        stateDir.toString(),
        "--threads",
        "1",
        "--streams.consumer.session.timeout.ms",
        "2000",
        "--streams.consumer.heartbeat.interval.ms",
        "500",
        "--streams.producer.transaction.timeout.ms",
        "10000");
  }

  static WorkerProcess start(final List<String> args, final Path log) throws IOException {
    final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    final String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    final List<String> command =
        new ArrayList<>(List.of(java, "-Xmx512m", "-cp", classpath, DecoderWorker.class.getName()));
    command.addAll(args);
    final ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    return new WorkerProcess(pb.start());
  }

  /** SIGKILL: no shutdown hook, no commit, no clean close. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy(); // SIGTERM: the shutdown hook closes the worker cleanly
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
