package io.medsam.stream.viewer.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.medsam.stream.avro.TrainerStatus;
import io.medsam.stream.viewer.DecoderBase;
import io.medsam.stream.viewer.WeightsRollback;
import io.medsam.stream.viewer.state.TrainerBoard;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/trainer}: each trainer's published status and the weights history (versions,
 * their held-out figures, rejected candidates, rollbacks, the version in force), after the bundle's
 * own decoder weights (verdict {@code BUNDLE}, in force until the trainer publishes a version).
 * {@code POST /api/trainer/rollback {version, confirm: true}}: re-publishes an earlier published
 * version; without {@code confirm: true} (the page sends it once the clinician confirmed) nothing
 * is published.
 */
final class TrainerApi {

  private final TrainerBoard board;
  private final Optional<WeightsRollback> rollback;
  private final Optional<DecoderBase> base;

  TrainerApi(
      final TrainerBoard board,
      final Optional<WeightsRollback> rollback,
      final Optional<DecoderBase> base) {
    this.board = board;
    this.rollback = rollback;
    this.base = base;
  }

  void state(final HttpExchange ex) throws IOException {
    final List<Map<String, Object>> trainers = new ArrayList<>();
    for (final TrainerStatus s : board.status().values()) {
      final Map<String, Object> t = new LinkedHashMap<>();
      t.put("modelId", s.getModelId());
      t.put("trainer", s.getTrainer());
      t.put("pairs", s.getPairs());
      t.put("newPairs", s.getNewPairs());
      t.put("pendingCorrections", s.getPendingCorrections());
      t.put("rejectedCorrections", s.getRejectedCorrections());
      t.put("minNewPairs", s.getMinNewPairs());
      t.put("running", s.getRunning());
      t.put("runs", s.getRuns());
      t.put("lastRunStartedAt", iso(s.getLastRunStartedAt()));
      t.put("lastRunFinishedAt", iso(s.getLastRunFinishedAt()));
      t.put("lastDecision", s.getLastDecision());
      t.put("lastVersion", s.getLastVersion());
      t.put("lastReason", s.getLastReason());
      t.put("lastHoldoutDscBefore", s.getLastHoldoutDscBefore());
      t.put("lastHoldoutDscAfter", s.getLastHoldoutDscAfter());
      t.put("updatedAt", iso(s.getUpdatedAt()));
      trainers.add(t);
    }
    final Map<String, String> inForce = new LinkedHashMap<>();
    final List<Map<String, Object>> versions = new ArrayList<>();
    final List<TrainerBoard.Version> history = board.versions();
    base.filter(
            b ->
                history.stream()
                    .noneMatch(
                        v -> v.modelId().equals(b.modelId()) && v.version().equals(b.version())))
        .ifPresent(
            b -> {
              final Map<String, Object> m = new LinkedHashMap<>();
              m.put("modelId", b.modelId());
              m.put("version", b.version());
              m.put("verdict", "BUNDLE");
              m.put(
                  "reason",
                  "the bundle's own decoder weights: served until the trainer publishes a"
                      + " version; not on the history topic, so no rollback to them");
              m.put("trainPairs", 0);
              m.put("holdoutPairs", 0);
              versions.add(m);
              inForce.put(b.modelId(), b.version());
            });
    for (final TrainerBoard.Version v : history) {
      final Map<String, Object> m = new LinkedHashMap<>();
      m.put("modelId", v.modelId());
      m.put("version", v.version());
      m.put("parentVersion", v.parentVersion());
      m.put("verdict", v.verdict());
      m.put("reason", v.reason());
      m.put("holdoutDscBefore", v.holdoutDscBefore());
      m.put("holdoutDscAfter", v.holdoutDscAfter());
      m.put("trainPairs", v.trainPairs());
      m.put("holdoutPairs", v.holdoutPairs());
      m.put("rollbackOf", v.rollbackOf());
      m.put("createdAt", iso(v.createdAt()));
      versions.add(m);
      if ("PUBLISHED".equals(v.verdict())) {
        inForce.put(v.modelId(), v.version());
      }
    }
    final Map<String, Object> out = new LinkedHashMap<>();
    out.put("trainers", trainers);
    out.put("versions", versions);
    out.put("inForce", inForce);
    out.put("rollback", rollback.isPresent());
    Exchanges.json(ex, 200, out);
  }

  void rollback(final HttpExchange ex, final JsonNode body) throws IOException, ApiException {
    final String version = Exchanges.text(body, "version");
    final WeightsRollback r =
        rollback.orElseThrow(
            () ->
                new ApiException(
                    501, "rollback is not available in this process: use medsam weights rollback"));
    final JsonNode confirm = body.get("confirm");
    if (confirm == null || !confirm.isBoolean() || !confirm.asBoolean()) {
      throw new ApiException(
          400,
          "a rollback changes the weights every decoder serves: confirm it (confirm: true);"
              + " nothing was published");
    }
    if (board.versions().stream()
        .noneMatch(v -> v.version().equals(version) && "PUBLISHED".equals(v.verdict()))) {
      throw new ApiException(
          400,
          "version " + version + " was never published: only published versions can be served");
    }
    final String done;
    try {
      done = r.rollback(version);
    } catch (Exception e) {
      throw new ApiException(400, "rollback to " + version + " failed: " + e.getMessage());
    }
    Exchanges.json(ex, 200, Map.of("rolledBackTo", version, "published", done));
  }

  private static String iso(final java.time.Instant t) {
    return t == null ? null : t.toString();
  }
}
