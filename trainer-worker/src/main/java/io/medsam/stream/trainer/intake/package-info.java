/**
 * Intake of labelled pairs: corrections joined with their slice embeddings, validated, and kept
 * durable by replaying the corrections topic (the log) on every start. Rejected corrections become
 * dead letters; the dead-letter topic doubles as the trainer's record of which corrections it has
 * rejected. {@code HoldoutSplit} divides a run's slice set into held-out blocks, gaps and training
 * slices.
 */
package io.medsam.stream.trainer.intake;
