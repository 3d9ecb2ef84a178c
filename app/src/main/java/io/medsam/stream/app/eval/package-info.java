/**
 * The MedSAM evaluation protocol (docs/architecture.md §3) run through the streaming pipeline: box
 * prompts from ground-truth components ({@link io.medsam.stream.app.eval.EvalPlan}), masks
 * collected from Kafka and scored in 3D ({@link io.medsam.stream.app.eval.EvalRun}), the ellipse
 * baseline scored the same way ({@link io.medsam.stream.app.eval.EllipseBaseline}), the JSON report
 * and terminal table ({@link io.medsam.stream.app.eval.EvalReport}), the progress bar and the
 * demo's overlay images.
 */
package io.medsam.stream.app.eval;
