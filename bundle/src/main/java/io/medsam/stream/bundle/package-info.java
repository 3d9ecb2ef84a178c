/**
 * A model bundle folder as docs/architecture.md §2 defines it: {@code manifest.json} (id, version,
 * input size, resize rule, embedding shape, file names, decoder initializers, lineage) and the
 * SHA-256 of {@code encoder.onnx} that names the encoder in every SliceEmbedding. One reader for
 * the encoder, decoder and trainer workers; no ML runtime here.
 */
package io.medsam.stream.bundle;
