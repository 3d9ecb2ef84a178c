package io.medsam.stream.ingest;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Every log line (message and exception chain) of io.medsam at DEBUG and of everything else at its
 * configured level, from {@link #start()} to {@link #close()}.
 */
final class CapturedLogs extends AppenderBase<ILoggingEvent> implements AutoCloseable {

  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  private final Logger medsam = (Logger) LoggerFactory.getLogger("io.medsam");
  private Level before;

  static CapturedLogs capture() {
    final CapturedLogs logs = new CapturedLogs();
    logs.setContext(logs.root.getLoggerContext());
    logs.before = logs.medsam.getLevel();
    logs.medsam.setLevel(Level.DEBUG);
    logs.root.addAppender(logs);
    logs.start();
    return logs;
  }

  @Override
  protected void append(final ILoggingEvent event) {
    final StringBuilder line = new StringBuilder(event.getFormattedMessage());
    for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
      line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
    }
    lines.add(line.toString());
  }

  /** The lines so far. */
  List<String> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void close() {
    root.detachAppender(this);
    medsam.setLevel(before);
    stop();
  }
}
