package io.medsam.stream.app.broker;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive OS file lock on a broker data directory, held for the broker's lifetime and taken
 * before Kafka opens anything there. A second broker on the same directory (another {@code medsam}
 * process, or another instance in this JVM) is refused up front: Kafka would otherwise start
 * recovering logs that the running broker is still appending to.
 */
final class StorageLock implements AutoCloseable {
  /** Lives next to Kafka's files; Kafka ignores plain files in a log directory. */
  static final String FILE_NAME = "medsam-broker.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private StorageLock(final FileChannel channel, final FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * @param dir the data directory, created if missing
   * @return the held lock
   * @throws BrokerStartException when another broker holds it or the file cannot be opened
   */
  static StorageLock acquire(final Path dir) throws BrokerStartException {
    final Path file = dir.resolve(FILE_NAME);
    FileChannel channel = null;
    try {
      Files.createDirectories(dir);
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      final FileLock lock = channel.tryLock();
      if (lock != null) {
        return new StorageLock(channel, lock);
      }
    } catch (OverlappingFileLockException held) {
      // held by this JVM: fall through to the refusal below
    } catch (IOException e) {
      closeQuietly(channel);
      throw new BrokerStartException("cannot lock broker data directory " + dir, e);
    }
    closeQuietly(channel);
    throw new BrokerStartException(
        "another medsam broker is using " + dir + "; stop it or choose another --data-dir", null);
  }

  private static void closeQuietly(final FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing was locked through it
      }
    }
  }

  /** Releases the lock. */
  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException ignored) {
      // closing the channel below releases it as well
    }
    closeQuietly(channel);
  }
}
