/** Format detection and one entry point for reading any supported scan file or folder. */
package io.medsam.stream.imaging.scan;
