package io.medsam.stream.decoder.session;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current decoder session, swappable while the stream runs. A batch {@link #acquire()}s a lease
 * on the current session and decodes on it to the end; {@link #swap} installs a new session for the
 * next batches and closes the old one once its last lease is released.
 */
public final class DecoderSessions implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DecoderSessions.class);

  private final AtomicReference<Counted> current;

  /**
   * @param initial the first session (usually the bundle's own weights)
   */
  public DecoderSessions(final MaskDecoderSession initial) {
    this.current = new AtomicReference<>(new Counted(initial));
  }

  /**
   * Leases the current session; close the lease when the batch is done.
   *
   * @return a lease on the current session
   * @throws IllegalStateException after {@link #close()}
   */
  public Lease acquire() {
    while (true) {
      final Counted c = current.get();
      if (c == null) {
        throw new IllegalStateException("decoder sessions are closed");
      }
      if (c.retain()) {
        return new Lease(c);
      }
    }
  }

  /**
   * @return the weights version new batches are decoded with
   */
  public String currentVersion() {
    final Counted c = current.get();
    return c == null ? null : c.session.weightsVersion();
  }

  /**
   * Makes {@code next} the session for new batches; the old one closes after its in-flight batches
   * finish.
   *
   * @param next the new session
   */
  public void swap(final MaskDecoderSession next) {
    final Counted old = current.getAndSet(new Counted(next));
    if (old == null) {
      current.set(null);
      next.close();
      throw new IllegalStateException("decoder sessions are closed");
    }
    LOG.info("decoder weights {} replace {}", next.weightsVersion(), old.session.weightsVersion());
    old.release();
  }

  @Override
  public void close() {
    final Counted old = current.getAndSet(null);
    if (old != null) {
      old.release();
    }
  }

  /** A reference-counted session: the holder's reference plus one per open lease. */
  private static final class Counted {
    private final MaskDecoderSession session;
    private final AtomicInteger refs = new AtomicInteger(1);

    Counted(final MaskDecoderSession session) {
      this.session = session;
    }

    boolean retain() {
      while (true) {
        final int n = refs.get();
        if (n <= 0) {
          return false;
        }
        if (refs.compareAndSet(n, n + 1)) {
          return true;
        }
      }
    }

    void release() {
      if (refs.decrementAndGet() == 0) {
        LOG.info("closing decoder session with weights {}", session.weightsVersion());
        session.close();
      }
    }
  }

  /** A session leased for one batch. */
  public static final class Lease implements AutoCloseable {
    private final Counted counted;
    private boolean released;

    private Lease(final Counted counted) {
      this.counted = counted;
    }

    /**
     * @return the leased session
     */
    public MaskDecoderSession session() {
      return counted.session;
    }

    @Override
    public void close() {
      if (!released) {
        released = true;
        counted.release();
      }
    }
  }
}
