package io.medsam.stream.trainer.model;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.medsam.stream.bundle.BundleFormatException;
import io.medsam.stream.bundle.ModelBundle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bundle's TorchScript decoder loaded with DJL's PyTorch engine ({@code trainParam=true}).
 * Parameters under the bundle's trainable prefix ({@code mask_decoder.}) require gradients; every
 * other parameter (the prompt encoder) is frozen. Not thread-safe: one training run or evaluation
 * at a time.
 */
public final class TrainableDecoder implements AutoCloseable {

  private final ModelBundle bundle;
  private final Model model;
  private final Map<String, Parameter> trainable = new LinkedHashMap<>();
  private final Map<String, Parameter> frozen = new LinkedHashMap<>();

  private TrainableDecoder(final ModelBundle bundle, final Model model) {
    this.bundle = bundle;
    this.model = model;
    for (final Pair<String, Parameter> p : model.getBlock().getParameters()) {
      final boolean train = p.getKey().startsWith(bundle.trainablePrefix());
      p.getValue().getArray().setRequiresGradient(train);
      (train ? trainable : frozen).put(p.getKey(), p.getValue());
    }
    if (trainable.isEmpty()) {
      throw new IllegalStateException("no parameter starts with " + bundle.trainablePrefix());
    }
  }

  /**
   * Loads {@code decoder.pt} of a bundle.
   *
   * @throws IOException if the manifest names no TorchScript decoder, or the file cannot be read or
   *     is not a TorchScript module
   */
  public static TrainableDecoder load(final ModelBundle bundle) throws IOException {
    final Path torchscript;
    try {
      torchscript = bundle.decoderTorchScript();
    } catch (BundleFormatException e) {
      throw new IOException(e.getMessage(), e);
    }
    final Model model = Model.newInstance("decoder", "PyTorch");
    try {
      final String file = torchscript.getFileName().toString();
      model.load(
          torchscript.getParent(), file.replaceFirst("\\.pt$", ""), Map.of("trainParam", "true"));
    } catch (MalformedModelException | RuntimeException e) {
      model.close();
      throw new IOException("cannot load " + torchscript + ": " + e.getMessage(), e);
    }
    return new TrainableDecoder(bundle, model);
  }

  /** The bundle this decoder came from. */
  public ModelBundle bundle() {
    return bundle;
  }

  /** A manager for the arrays of one step or one evaluation; close it afterwards. */
  public NDManager newManager() {
    return model.getNDManager().newSubManager();
  }

  /** Trainable parameters, in state_dict order. */
  public Map<String, Parameter> trainableParameters() {
    return Collections.unmodifiableMap(trainable);
  }

  /** Names of the frozen parameters. */
  public List<String> frozenParameterNames() {
    return new ArrayList<>(frozen.keySet());
  }

  /** Shapes of the trainable parameters by state_dict name. */
  public Map<String, long[]> trainableShapes() {
    final Map<String, long[]> out = new LinkedHashMap<>();
    trainable.forEach((k, v) -> out.put(k, v.getArray().getShape().getShape()));
    return out;
  }

  /**
   * Runs the decoder.
   *
   * @param embeddings B x C x h x w
   * @param boxes B x 4 in S-space
   * @param training true to record gradients
   * @return low_res_logits B x 1 x L x L and iou_predictions B x 1
   */
  public NDList forward(final NDArray embeddings, final NDArray boxes, final boolean training) {
    final Block block = model.getBlock();
    return block.forward(
        new ParameterStore(embeddings.getManager(), false),
        new NDList(embeddings, boxes),
        training);
  }

  /** Copies of the trainable weights, by state_dict name. */
  public Map<String, float[]> trainableWeights() {
    final Map<String, float[]> out = new LinkedHashMap<>();
    trainable.forEach((k, v) -> out.put(k, v.getArray().toFloatArray()));
    return out;
  }

  /**
   * Overwrites the trainable weights in place.
   *
   * @throws IllegalArgumentException if a name is missing or a size differs
   */
  public void setTrainableWeights(final Map<String, float[]> weights) {
    for (final Map.Entry<String, Parameter> e : trainable.entrySet()) {
      final float[] values = weights.get(e.getKey());
      final NDArray array = e.getValue().getArray();
      if (values == null || values.length != array.size()) {
        throw new IllegalArgumentException("weights for " + e.getKey() + " missing or mis-sized");
      }
    }
    for (final Map.Entry<String, Parameter> e : trainable.entrySet()) {
      e.getValue().getArray().set(weights.get(e.getKey()));
    }
  }

  /** Shape of the low-res logits for a batch. */
  public Shape logitsShape(final int batch) {
    return new Shape(batch, 1, bundle.lowResSize(), bundle.lowResSize());
  }

  @Override
  public void close() {
    model.close();
  }
}
