package io.medsam.stream.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Spike: DJL's PyTorch engine trains a TorchScript decoder exported by torch 1.13. */
class DjlTorchScriptSpikeTest {

  @Test
  void loadsListsForwardsBackwardsAndStepsOnlyTheMaskDecoder() throws Exception {
    final Path dir = Path.of("src/test/resources/toy-bundle");
    try (Model model = Model.newInstance("decoder", "PyTorch")) {
      model.load(dir, "decoder", Map.of("trainParam", "true"));
      final var block = model.getBlock();
      final Map<String, float[]> before = new HashMap<>();
      for (Pair<String, Parameter> p : block.getParameters()) {
        before.put(p.getKey(), p.getValue().getArray().toFloatArray());
        final boolean trainable = p.getKey().startsWith("mask_decoder.");
        p.getValue().getArray().setRequiresGradient(trainable);
        System.out.println(p.getKey() + " " + p.getValue().getArray().getShape());
      }
      assertThat(before).containsKey("mask_decoder.mask_head.weight");
      assertThat(before).containsKey("prompt_encoder.no_mask_embed.weight");
      final Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-2f)).build();
      try (NDManager nd = model.getNDManager().newSubManager()) {
        final NDArray emb = nd.randomNormal(new Shape(2, 16, 8, 8));
        final NDArray boxes = nd.create(new float[] {4, 4, 20, 20, 2, 6, 30, 28}, new Shape(2, 4));
        final NDArray target = nd.zeros(new Shape(2, 1, 32, 32));
        final ParameterStore ps = new ParameterStore(nd, false);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          final NDList out = block.forward(ps, new NDList(emb, boxes), true);
          assertThat(out.get(0).getShape()).isEqualTo(new Shape(2, 1, 32, 32));
          assertThat(out.get(1).getShape()).isEqualTo(new Shape(2, 1));
          final NDArray loss = out.get(0).sub(target).square().mean();
          gc.backward(loss);
        }
        for (Pair<String, Parameter> p : block.getParameters()) {
          final NDArray w = p.getValue().getArray();
          if (p.getKey().startsWith("mask_decoder.")) {
            adam.update(p.getKey(), w, w.getGradient());
          }
        }
      }
      for (Pair<String, Parameter> p : block.getParameters()) {
        final float[] now = p.getValue().getArray().toFloatArray();
        if (p.getKey().startsWith("mask_decoder.")) {
          if (p.getKey().startsWith("mask_decoder.iou")) {
            continue;
          }
          assertThat(now).as(p.getKey()).isNotEqualTo(before.get(p.getKey()));
        } else {
          assertThat(now).as(p.getKey()).isEqualTo(before.get(p.getKey()));
        }
      }
    }
  }
}
