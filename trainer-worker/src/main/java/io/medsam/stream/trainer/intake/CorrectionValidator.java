package io.medsam.stream.trainer.intake;

import io.medsam.stream.avro.Correction;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.imaging.ImageFormatException;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.preprocess.PixelBox;
import io.medsam.stream.records.Boxes;
import io.medsam.stream.records.EmbeddingTensor;
import io.medsam.stream.records.InvalidEmbeddingException;
import io.medsam.stream.records.Masks;
import java.util.Arrays;

/**
 * Turns a correction and its slice's embedding into a {@link TrainingPair}, or says why not:
 * missing ids, a mask that does not decode, an empty mask, a mask whose size differs from the
 * slice's, an invalid box, or an embedding that does not fit the decoder bundle.
 */
public final class CorrectionValidator {

  private final int[] embeddingShape;

  /**
   * @param embeddingShape the bundle's [C, h, w]
   */
  public CorrectionValidator(final int[] embeddingShape) {
    this.embeddingShape = embeddingShape.clone();
  }

  /**
   * Validates one correction.
   *
   * @param recordKey the Kafka key it arrived with (may be null)
   * @throws InvalidCorrectionException with the reason when it must not be trained on
   */
  public TrainingPair validate(
      final Correction c,
      final String recordKey,
      final SliceEmbedding embedding,
      final int partition,
      final long offset)
      throws InvalidCorrectionException {
    if (c.getCorrectionId() == null || c.getCorrectionId().isBlank()) {
      throw new InvalidCorrectionException("correction without correctionId");
    }
    if (recordKey != null && !recordKey.equals(c.getSliceKey())) {
      throw new InvalidCorrectionException(
          "record key " + recordKey + " differs from sliceKey " + c.getSliceKey());
    }
    final EmbeddingTensor tensor = checkEmbedding(embedding);
    final int h = tensor.imageHeight();
    final int w = tensor.imageWidth();
    if (c.getMask().getHeight() != h || c.getMask().getWidth() != w) {
      throw new InvalidCorrectionException(
          "mask size "
              + c.getMask().getHeight()
              + "x"
              + c.getMask().getWidth()
              + " differs from slice size "
              + h
              + "x"
              + w);
    }
    final BinaryMask mask;
    try {
      mask = Masks.toBinaryMask(c.getMask(), "mask of correction " + c.getCorrectionId());
    } catch (ImageFormatException e) {
      throw new InvalidCorrectionException("mask does not decode: " + e.problem(), e);
    }
    if (mask.area() == 0) {
      throw new InvalidCorrectionException("empty mask");
    }
    final PixelBox box;
    if (c.getBox() == null) {
      box = mask.boundingBox().orElseThrow();
    } else {
      box = Boxes.toPixelBox(c.getBox());
      if (!box.isInsidePixels(h, w)) {
        throw new InvalidCorrectionException("box " + box + " is not inside " + h + "x" + w);
      }
    }
    return new TrainingPair(
        c.getCorrectionId(), c.getSliceKey(), c.getLabel(), tensor, mask, box, partition, offset);
  }

  /** The one embedding validation (records), then the shape this decoder bundle needs. */
  private EmbeddingTensor checkEmbedding(final SliceEmbedding e) throws InvalidCorrectionException {
    final EmbeddingTensor tensor;
    try {
      tensor = EmbeddingTensor.of(e);
    } catch (final InvalidEmbeddingException ex) {
      throw new InvalidCorrectionException(ex.getMessage(), ex);
    }
    if (!tensor.hasShape(embeddingShape)) {
      throw new InvalidCorrectionException(
          "embedding shape "
              + Arrays.toString(tensor.shape())
              + " does not fit the decoder's "
              + Arrays.toString(embeddingShape));
    }
    return tensor;
  }
}
