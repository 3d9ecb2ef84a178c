/**
 * The MedSAM workers inside the {@code medsam} JVM: which roles run ({@link
 * io.medsam.stream.app.pipeline.Role}), starting and stopping them together ({@link
 * io.medsam.stream.app.pipeline.PipelineWorkers}), the model bundle they use ({@link
 * io.medsam.stream.app.pipeline.BundleLocation}) and their Prometheus endpoint ({@link
 * io.medsam.stream.app.pipeline.MetricsServer}).
 */
package io.medsam.stream.app.pipeline;
