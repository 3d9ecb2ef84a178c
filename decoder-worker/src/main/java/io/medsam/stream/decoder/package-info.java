/**
 * The decoder worker: the decode topology run in Kafka Streams with the bundle's mask decoder in
 * ONNX Runtime ({@link io.medsam.stream.decoder.OnnxMaskDecoder}), post-processing of logits to
 * COCO RLE masks, and hot swap of decoder weights from medsam.decoder-weights.v1.
 */
package io.medsam.stream.decoder;
