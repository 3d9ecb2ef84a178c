/**
 * Reading a model bundle folder (manifest.json, encoder/decoder ONNX files, TorchScript
 * decoder). Encoder and trainer workers need the same reader; it lives here until it moves to a
 * shared module.
 */
package io.medsam.stream.decoder.bundle;
