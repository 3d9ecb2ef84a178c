package io.medsam.stream.app.pipeline;

import io.medsam.stream.topology.worker.WorkerState;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code /ready} reports of one worker: its state, how often the supervisor restarted it, and
 * the kind of error that ended it last (the exception's class only: messages may name files, and so
 * patients).
 *
 * @param state the worker's state now
 * @param restarts restarts so far
 * @param lastFailure the simple class name of the last failure, if any
 */
public record WorkerReadiness(WorkerState state, int restarts, Optional<String> lastFailure) {

  /**
   * @param workers each role's report, by role name
   * @return true when there are workers and every one is RUNNING
   */
  public static boolean allRunning(final Map<String, WorkerReadiness> workers) {
    return !workers.isEmpty()
        && workers.values().stream().allMatch(w -> w.state() == WorkerState.RUNNING);
  }

  /**
   * @param workers each role's report, by role name
   * @return {@code {"ready":B,"workers":{"ROLE":{"state":S,"restarts":N[,"lastFailure":C]}}}}
   */
  public static String json(final Map<String, WorkerReadiness> workers) {
    final StringBuilder out = new StringBuilder();
    out.append("{\"ready\":").append(allRunning(workers)).append(",\"workers\":{");
    String comma = "";
    for (final Map.Entry<String, WorkerReadiness> e : workers.entrySet()) {
      final WorkerReadiness w = e.getValue();
      out.append(comma).append(quoted(e.getKey())).append(":{\"state\":");
      out.append(quoted(w.state().name())).append(",\"restarts\":").append(w.restarts());
      w.lastFailure().ifPresent(f -> out.append(",\"lastFailure\":").append(quoted(f)));
      out.append('}');
      comma = ",";
    }
    return out.append("}}").toString();
  }

  private static String quoted(final String s) {
    final StringBuilder q = new StringBuilder("\"");
    for (final char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        q.append('\\').append(c);
      } else if (c < 0x20) {
        q.append(String.format("\\u%04x", (int) c));
      } else {
        q.append(c);
      }
    }
    return q.append('"').toString();
  }
}
