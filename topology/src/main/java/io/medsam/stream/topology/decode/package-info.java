/**
 * The decode topology: box prompts joined with slice embeddings by sliceKey and handed, in batches,
 * to a {@link io.medsam.stream.topology.decode.MaskDecoder}. Prompts that wait for their embedding
 * are kept in a state store and answered when it lands or on timeout; invalid boxes, undecodable
 * records and decoder failures are answered explicitly, never dropped.
 *
 * <p>This package holds no ML runtime: the decoder is an interface implemented by the decoder
 * worker.
 */
package io.medsam.stream.topology.decode;
