/**
 * The MedSAM workers inside the {@code medsam} JVM: which roles run ({@link
 * io.medsam.stream.app.pipeline.Role}), the worker each role is built as ({@link
 * io.medsam.stream.app.pipeline.RoleWorkers}), starting and stopping them together through the
 * worker contract ({@link io.medsam.stream.app.pipeline.PipelineWorkers}), the model bundle they
 * use ({@link io.medsam.stream.app.pipeline.BundleLocation}) and their Prometheus endpoint ({@link
 * io.medsam.stream.app.pipeline.MetricsServer}).
 */
package io.medsam.stream.app.pipeline;
