/**
 * The trainer worker: continuous fine-tuning of the mask decoder from clinicians' corrections
 * (intake, training runs triggered by new pairs or time, holdout gate, weight publication and
 * rollback). Sub-packages hold each stage; this package wires them and runs the lifecycle.
 */
package io.medsam.stream.trainer;
