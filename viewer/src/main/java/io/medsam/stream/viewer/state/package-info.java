/**
 * What the viewer knows, read from the topics (read_committed, from the beginning, no group): the
 * series and their slices, the latest mask and correction of each slice, the trainer's status and
 * the decoder weights history. Nothing here is read from a worker's memory.
 */
package io.medsam.stream.viewer.state;
