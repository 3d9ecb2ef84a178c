/**
 * Entry points for people: publishing a labelled volume's slices as clinicians' corrections and
 * waiting until the trainer has taken them in, listing and rolling back decoder weights, and
 * running the trainer worker from the command line.
 */
package io.medsam.stream.trainer.demo;
