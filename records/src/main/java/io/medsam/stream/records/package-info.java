/**
 * The adapter layer between the Avro wire records ({@code io.medsam.stream.avro}) and the imaging
 * types ({@code io.medsam.stream.imaging}): the one home of every conversion between them.
 *
 * <ul>
 *   <li>{@link io.medsam.stream.records.Float16}: the little-endian float16 codec of {@code
 *       SliceEmbedding.data}.
 *   <li>{@link io.medsam.stream.records.EmbeddingTensor}: the one validation of a {@code
 *       SliceEmbedding} (shape, dtype, byte length, image size) and its values as floats.
 *   <li>{@link io.medsam.stream.records.Boxes}: {@code Box} to and from {@code PixelBox}; box rules
 *       are {@code PixelBox}'s own.
 *   <li>{@link io.medsam.stream.records.Masks}: {@code RleMask} to and from {@code BinaryMask}, and
 *       a mask's COCO bbox as the {@code MaskResult.bbox} list.
 * </ul>
 *
 * <p>No Kafka client code and no ML runtime: workers, the topology and clients all convert through
 * here.
 */
package io.medsam.stream.records;
