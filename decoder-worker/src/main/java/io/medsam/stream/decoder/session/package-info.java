/**
 * ONNX Runtime sessions of a bundle's mask decoder: session settings, validation of decoder weight
 * records against the manifest, injection of weights as external initializers and the versioned hot
 * swap of sessions.
 */
package io.medsam.stream.decoder.session;
