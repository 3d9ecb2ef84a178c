/**
 * The decode topology: box prompts joined with slice embeddings by sliceKey and handed, in batches,
 * to a {@link io.medsam.stream.topology.decode.MaskDecoder}. Prompts that wait for their embedding
 * are kept in a state store and answered when it lands or on timeout; invalid boxes, undecodable
 * records and decoder failures are answered explicitly, never dropped.
 *
 * <p>{@link io.medsam.stream.topology.decode.DecodeJoinProcessor} routes input records to its
 * parts: join state ({@code PromptStores}), validation through the records adapter layer ({@code
 * DecodeChecks}), burst detection, batching and the decoder call ({@code DecodeBatcher}), the
 * timeout punctuation ({@code PromptTimeouts}), results and dead letters ({@code DecodeOutput}).
 * {@code MaskResults} is the one place that builds a MaskResult.
 *
 * <p>This package holds no ML runtime: the decoder is an interface implemented by the decoder
 * worker, returning {@link io.medsam.stream.topology.decode.MaskOutcome}s.
 */
package io.medsam.stream.topology.decode;
