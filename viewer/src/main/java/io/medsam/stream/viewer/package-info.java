/**
 * The clinician's viewer: an HTTP server (the JDK's {@code com.sun.net.httpserver}) on the pipeline
 * client, serving a plain-JavaScript page that shows the series the service knows, draws boxes that
 * become BoxPrompts, overlays the masks that come back, and publishes the clinician's corrections;
 * run as the {@code viewer} role of {@code medsam run} through the one worker contract.
 */
package io.medsam.stream.viewer;
