/**
 * A client of the running pipeline, through Kafka only: publish a scan and wait for its slices'
 * embeddings, send BoxPrompts and collect their MaskResults ({@link
 * io.medsam.stream.client.PipelineClient}); turn a label volume into clinicians' corrections
 * ({@link io.medsam.stream.client.LabelledSlices}) and publish them, waiting for the trainer's
 * verdicts ({@link io.medsam.stream.client.CorrectionFeed}). No worker and no ML runtime: the
 * command line and a web viewer can both depend on it.
 */
package io.medsam.stream.client;
