package io.medsam.stream.app.broker;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Drops Kafka's "NotControllerException" request errors. On the embedded single-node cluster the
 * only node is the controller, so that error only means a request (typically the node's own
 * controller registration, on restart) arrived while the controller was still activating; the
 * sender retries and it succeeds. Kafka logs it at ERROR with a stack trace, which would otherwise
 * greet every {@code medsam broker} restart. Every other event passes.
 */
public final class TransientControllerErrorFilter extends Filter<ILoggingEvent> {
  private static final String NOT_CONTROLLER =
      "org.apache.kafka.common.errors.NotControllerException";

  @Override
  public FilterReply decide(final ILoggingEvent event) {
    for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
      if (NOT_CONTROLLER.equals(t.getClassName())) {
        return FilterReply.DENY;
      }
    }
    return FilterReply.NEUTRAL;
  }
}
