/**
 * Signed decoder weights: the one canonical digest of a {@code DecoderWeights} record ({@link
 * io.medsam.stream.records.weights.WeightsDigest}), Ed25519 signing where weights are published
 * ({@link io.medsam.stream.records.weights.WeightsSigner}: the trainer and {@code medsam weights
 * rollback}), verification where they are served ({@link
 * io.medsam.stream.records.weights.WeightsVerifier}: every decoder configured with the public key)
 * and the key files both read ({@link io.medsam.stream.records.weights.WeightsKeys}). JDK only
 * ({@code java.security}, algorithm "Ed25519"); no Kafka client and no ML runtime.
 */
package io.medsam.stream.records.weights;
