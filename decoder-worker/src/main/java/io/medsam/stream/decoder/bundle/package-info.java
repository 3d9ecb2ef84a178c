/**
 * Compatibility only: the bundle reader now lives in {@code io.medsam.stream.bundle} (module
 * bundle/). This package keeps the old exception type until its last caller switches.
 */
package io.medsam.stream.decoder.bundle;
