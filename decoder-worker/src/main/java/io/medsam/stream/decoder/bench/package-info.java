/** Latency benchmark of the decoder worker: prompt produced to MaskResult consumed. */
package io.medsam.stream.decoder.bench;
