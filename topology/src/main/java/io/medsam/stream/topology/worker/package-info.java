/**
 * The one contract every pipeline worker keeps ({@link io.medsam.stream.topology.worker.Worker}:
 * start, close, state), the states it goes through ({@link
 * io.medsam.stream.topology.worker.WorkerState}), their thread-safe holder with clock-measured
 * waits ({@link io.medsam.stream.topology.worker.StateTracker}), and the thread and close of the
 * plain-client workers' transactional consume-produce loop ({@link
 * io.medsam.stream.topology.worker.TransactionalLoop}).
 */
package io.medsam.stream.topology.worker;
