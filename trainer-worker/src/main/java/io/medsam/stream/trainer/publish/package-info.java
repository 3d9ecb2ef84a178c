/**
 * Decoder weights on the wire: DecoderWeights records (every mask_decoder.* parameter as
 * float32 little-endian bytes, named as in the state_dict), their publication, the version
 * history read back from the weights topic, and rollback by re-publication.
 */
package io.medsam.stream.trainer.publish;
