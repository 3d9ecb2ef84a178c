package io.medsam.stream.trainer.intake;

import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.preprocess.PixelBox;
import io.medsam.stream.records.EmbeddingTensor;

/**
 * One labelled pair: a validated correction and the embedding of its slice. Whether it trains or is
 * held out is decided per run over the whole pair set ({@link HoldoutSplit}).
 *
 * @param correctionId unique id (pairs are deduplicated on it)
 * @param sliceKey {@code <seriesUid>/<axis>/<index>}
 * @param label target label
 * @param embedding the slice's validated embedding (C x h x w) with the original H and W
 * @param mask ground-truth mask at H x W
 * @param box the clinician's box, or the box around the mask (original pixels)
 * @param partition corrections partition the pair came from
 * @param offset its offset there
 */
public record TrainingPair(
    String correctionId,
    String sliceKey,
    String label,
    EmbeddingTensor embedding,
    BinaryMask mask,
    PixelBox box,
    int partition,
    long offset) {}
