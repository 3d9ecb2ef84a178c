/**
 * Intake of labelled pairs: corrections joined with their slice embeddings, validated, split
 * deterministically into train and holdout, and kept durable by replaying the corrections topic
 * (the log) on every start. Rejected corrections become dead letters; the dead-letter topic doubles
 * as the trainer's record of which corrections it has rejected.
 */
package io.medsam.stream.trainer.intake;
