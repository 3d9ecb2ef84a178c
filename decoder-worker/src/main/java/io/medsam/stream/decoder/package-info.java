/**
 * The decoder worker: the decode topology run in Kafka Streams with the bundle's mask decoder in
 * ONNX Runtime ({@link io.medsam.stream.decoder.OnnxMaskDecoder}), post-processing of logits to H x
 * W masks (the topology encodes them as COCO RLE), and hot swap of decoder weights from
 * medsam.decoder-weights.v1.
 */
package io.medsam.stream.decoder;
