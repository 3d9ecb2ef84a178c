/**
 * Decoder weights on the wire: DecoderWeights records (every mask_decoder.* parameter as float32
 * little-endian bytes, named as in the state_dict), their transactional publication to the weights
 * history topic (kept forever) and the compacted serving topic, the version history read back from
 * the history topic, and rollback by re-publication; {@code WeightsAdmin} is what {@code medsam
 * weights list} and {@code medsam weights rollback} call.
 */
package io.medsam.stream.trainer.publish;
