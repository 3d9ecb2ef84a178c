/**
 * Fine-tuning of the mask decoder on labelled pairs (Dice + BCE, Adam, jittered boxes) and the
 * holdout evaluation the gate decides on.
 */
package io.medsam.stream.trainer.train;
